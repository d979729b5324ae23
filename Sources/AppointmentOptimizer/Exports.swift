// The umbrella module: `import AppointmentOptimizer` brings in the whole library.
@_exported import AppointmentModel
@_exported import GLPKBackend
@_exported import MIPModel
@_exported import RealTimeBooking
@_exported import BatchOptimizer
@_exported import LivingClinic
@_exported import ClinicOutputs
