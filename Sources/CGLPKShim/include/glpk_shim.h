#ifndef APPOINTMENT_OPTIMIZER_GLPK_SHIM_H
#define APPOINTMENT_OPTIMIZER_GLPK_SHIM_H

/*
 * The one place that calls GLPK. Every entry point builds a GLPK problem, uses it and deletes it
 * inside one C call on the calling thread, under a guard: GLPK's error hook longjmps back here
 * (never across a Swift frame), the thread's GLPK environment is freed, and an error code is
 * returned instead of GLPK aborting the process.
 */

#ifdef __cplusplus
extern "C" {
#endif

/* A model in compressed form; arrays are 0-based. Infinite bounds are +-HUGE_VAL. */
typedef struct aog_model {
    const char *name;
    int n_cols;
    int n_rows;
    int maximize;                     /* 0: minimise, 1: maximise */
    double obj_constant;
    const double *obj;                /* [n_cols] */
    const double *col_lb;             /* [n_cols] */
    const double *col_ub;             /* [n_cols] */
    const int *col_kind;              /* [n_cols]: 0 continuous, 1 integer, 2 binary */
    const char *const *col_names;     /* [n_cols] or NULL */
    const double *row_lb;             /* [n_rows] */
    const double *row_ub;             /* [n_rows] */
    const char *const *row_names;     /* [n_rows] or NULL */
    int n_nz;
    const int *nz_row;                /* [n_nz] */
    const int *nz_col;                /* [n_nz] */
    const double *nz_val;             /* [n_nz] */
    const int *branch_first;          /* [n_cols] or NULL: 1 marks columns that branch and bound branches on
                                         first (most fractional, down branch first); ignored under presolve,
                                         which renumbers the columns */
} aog_model;

/* Termination codes of aog_solve. */
enum {
    AOG_OPTIMAL = 1,
    AOG_TIME_LIMIT = 2,         /* has_solution tells whether a feasible one was found */
    AOG_INFEASIBLE = 3,
    AOG_UNBOUNDED = 4,
    AOG_CANCELLED = 5,          /* has_solution tells whether a feasible one was found */
    AOG_GAP_REACHED = 6,
    AOG_NODE_LIMIT = 7,         /* stopped at node_limit; has_solution tells whether a feasible one was found */
    AOG_GLPK_ERROR = -1,        /* GLPK reported misuse; the guard recovered (see message) */
    AOG_SOLVER_FAILED = -2      /* GLPK returned a failure code (see glpk_return, message) */
};

/* Progress events. */
enum { AOG_EVENT_INCUMBENT = 1, AOG_EVENT_BOUND = 2, AOG_EVENT_WARM_START = 3 };

typedef void (*aog_progress_fn)(void *context, int event, double incumbent, int has_incumbent,
                                double bound, int has_bound, int nodes);
typedef void (*aog_log_fn)(void *context, const char *text);

typedef struct aog_solve_args {
    /* inputs */
    double time_limit_seconds;        /* <= 0: none */
    double mip_gap;                   /* relative gap tolerance, 0 for proven optimality */
    int presolve;
    int cuts;                         /* 1: Gomory, MIR and clique cuts (never cover cuts: they share statics) */
    int node_limit;                   /* > 0: stop after this many branch-and-bound nodes (a deterministic limit) */
    int msg_level;                    /* GLP_MSG_OFF .. GLP_MSG_ALL */
    const double *warm_start;         /* [n_cols] or NULL; must be feasible (checked by the caller) */
    aog_progress_fn progress;
    void *progress_context;
    aog_log_fn log;
    void *log_context;
    int cancel;                       /* set only through aog_request_cancel */
    /* outputs */
    int status;
    int has_solution;
    double objective;
    double bound;
    int has_bound;
    double *values;                   /* [n_cols], written when has_solution */
    int nodes;
    int lp_iterations;
    int warm_start_accepted;
    int glpk_return;
    char message[512];
} aog_solve_args;

/* Solves `m`. Returns args->status. Safe on any thread; nothing GLPK-owned survives the call. */
int aog_solve(const aog_model *m, aog_solve_args *args);

/* Asks a running aog_solve to stop at its next check (latency: Docs/glpk-binding.md). Any thread. */
void aog_request_cancel(aog_solve_args *args);
/* Whether a cancellation was requested (thread-safe). */
int aog_cancel_requested(const aog_solve_args *args);

/* Writes `m` as CPLEX LP (format 0) or free MPS (format 1). Returns 0 on success; otherwise
 * fills `message`. */
int aog_write(const aog_model *m, const char *path, int format, char *message, int message_size);

/* Makes a deliberate GLPK misuse (a negative row count) under the guard and returns
 * AOG_GLPK_ERROR with GLPK's message; used to test recovery. */
int aog_provoke_misuse(char *message, int message_size);

#ifdef __cplusplus
}
#endif
#endif
