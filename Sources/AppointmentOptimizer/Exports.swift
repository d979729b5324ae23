// The umbrella module: `import AppointmentOptimizer` brings in the whole library.
@_exported import AppointmentModel
