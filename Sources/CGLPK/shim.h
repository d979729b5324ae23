#ifndef APPOINTMENT_OPTIMIZER_CGLPK_SHIM_H
#define APPOINTMENT_OPTIMIZER_CGLPK_SHIM_H
// GLPK's public header (Debian: libglpk-dev). Only the GLPK backend imports this module.
#include <glpk.h>
#endif
