#include "glpk_shim.h"

#include <glpk.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- the guard: GLPK's error hook longjmps to the innermost guard of this thread ---- */

typedef struct guard {
    jmp_buf jump;
    char last_output[512];            /* GLPK prints its error message before calling the hook */
    aog_log_fn log;
    void *log_context;
    int forward;                      /* forward terminal output to `log` */
} guard;

static _Thread_local guard *current_guard = NULL;

static void on_glpk_error(void *info) {
    (void)info;
    if (current_guard != NULL) longjmp(current_guard->jump, 1);
    abort(); /* unreachable: every GLPK call is made under a guard */
}

static int on_glpk_output(void *info, const char *text) {
    (void)info;
    guard *g = current_guard;
    if (g == NULL) return 1;
    size_t used = strlen(g->last_output);
    size_t n = strlen(text);
    if (used + n >= sizeof g->last_output) { used = 0; g->last_output[0] = 0; }
    if (n < sizeof g->last_output) memcpy(g->last_output + used, text, n + 1);
    if (g->forward && g->log != NULL) g->log(g->log_context, text);
    return 1; /* never print to stdout: output goes to the logger or nowhere */
}

static void install_hooks(guard *g) {
    current_guard = g;
    glp_error_hook(on_glpk_error, NULL);
    glp_term_hook(on_glpk_output, NULL);
    glp_term_out(GLP_ON);
}

/* After a recovery GLPK's environment must be freed: every problem of the thread is gone. */
static void finish(guard *previous) {
    glp_free_env();
    current_guard = previous;
}

static void copy_message(char *out, int size, const char *text) {
    if (size <= 0) return;
    snprintf(out, (size_t)size, "%s", text);
    size_t n = strlen(out);
    while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' ')) out[--n] = 0;
}

/* ---- building ---- */

static int bound_type(double lb, double ub) {
    int has_lb = isfinite(lb), has_ub = isfinite(ub);
    if (has_lb && has_ub) return lb == ub ? GLP_FX : GLP_DB;
    if (has_lb) return GLP_LO;
    if (has_ub) return GLP_UP;
    return GLP_FR;
}

static glp_prob *build(const aog_model *m) {
    glp_prob *P = glp_create_prob();
    if (m->name != NULL) glp_set_prob_name(P, m->name);
    glp_set_obj_dir(P, m->maximize ? GLP_MAX : GLP_MIN);
    glp_set_obj_coef(P, 0, m->obj_constant);
    if (m->n_rows > 0) glp_add_rows(P, m->n_rows);
    if (m->n_cols > 0) glp_add_cols(P, m->n_cols);
    for (int i = 0; i < m->n_rows; i++) {
        glp_set_row_bnds(P, i + 1, bound_type(m->row_lb[i], m->row_ub[i]),
                         isfinite(m->row_lb[i]) ? m->row_lb[i] : 0.0,
                         isfinite(m->row_ub[i]) ? m->row_ub[i] : 0.0);
        if (m->row_names != NULL && m->row_names[i] != NULL) glp_set_row_name(P, i + 1, m->row_names[i]);
    }
    for (int j = 0; j < m->n_cols; j++) {
        if (m->col_kind[j] == 2) {
            glp_set_col_kind(P, j + 1, GLP_BV);
        } else {
            glp_set_col_bnds(P, j + 1, bound_type(m->col_lb[j], m->col_ub[j]),
                             isfinite(m->col_lb[j]) ? m->col_lb[j] : 0.0,
                             isfinite(m->col_ub[j]) ? m->col_ub[j] : 0.0);
            if (m->col_kind[j] == 1) glp_set_col_kind(P, j + 1, GLP_IV);
        }
        glp_set_obj_coef(P, j + 1, m->obj[j]);
        if (m->col_names != NULL && m->col_names[j] != NULL) glp_set_col_name(P, j + 1, m->col_names[j]);
    }
    if (m->n_nz > 0) {
        int *ia = malloc(sizeof(int) * (size_t)(m->n_nz + 1));
        int *ja = malloc(sizeof(int) * (size_t)(m->n_nz + 1));
        double *ar = malloc(sizeof(double) * (size_t)(m->n_nz + 1));
        if (ia == NULL || ja == NULL || ar == NULL) { free(ia); free(ja); free(ar); return P; }
        for (int k = 0; k < m->n_nz; k++) {
            ia[k + 1] = m->nz_row[k] + 1;
            ja[k + 1] = m->nz_col[k] + 1;
            ar[k + 1] = m->nz_val[k];
        }
        glp_load_matrix(P, m->n_nz, ia, ja, ar);
        free(ia); free(ja); free(ar);
    }
    return P;
}

/* ---- solving ---- */

static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

typedef struct solve_state {
    aog_solve_args *args;
    const aog_model *model;
    double deadline;                  /* monotonic seconds, or INFINITY */
    double *warm;                     /* 1-based copy of the warm start, or NULL */
    int warm_tried;
    int has_incumbent;
    double incumbent;
    int has_bound;
    double bound;
    int stopped_by_deadline;
    int stopped_by_node_limit;
    int presolving;                   /* glp_intopt presolves: its columns are not the model's */
} solve_state;

static int should_stop(solve_state *s) {
    if (__atomic_load_n(&s->args->cancel, __ATOMIC_ACQUIRE)) return 1;
    if (now_seconds() >= s->deadline) { s->stopped_by_deadline = 1; return 1; }
    return 0;
}

static void report(solve_state *s, int event, int nodes) {
    if (s->args->progress != NULL)
        s->args->progress(s->args->progress_context, event, s->incumbent, s->has_incumbent,
                          s->bound, s->has_bound, nodes);
}

static int better(const aog_model *m, double a, double b) { return m->maximize ? a > b : a < b; }

/* Branches on the most fractional column that the model marks to go first, down branch first;
 * leaves the choice to GLPK when none is fractional. */
static void branch_on_marked(glp_tree *T, const aog_model *m) {
    glp_prob *P = glp_ios_get_prob(T);
    int chosen = 0;
    double most = 0;
    for (int j = 1; j <= m->n_cols; j++) {
        if (!m->branch_first[j - 1] || !glp_ios_can_branch(T, j)) continue;
        double v = glp_get_col_prim(P, j);
        double f = v - floor(v);
        double distance = f < 1 - f ? f : 1 - f;
        if (distance > most) { most = distance; chosen = j; }
    }
    if (chosen != 0) glp_ios_branch_upon(T, chosen, GLP_DN_BRNCH);
}

static void on_tree(glp_tree *T, void *info) {
    solve_state *s = info;
    int a_cnt = 0, n_cnt = 0, t_cnt = 0;
    glp_ios_tree_size(T, &a_cnt, &n_cnt, &t_cnt);
    s->args->nodes = t_cnt;
    if (should_stop(s)) { glp_ios_terminate(T); return; }
    switch (glp_ios_reason(T)) {
    case GLP_IHEUR:
        if (s->warm != NULL && !s->warm_tried) {
            s->warm_tried = 1;
            if (glp_ios_heur_sol(T, s->warm) == 0) {
                s->args->warm_start_accepted = 1;
                s->has_incumbent = 1;
                s->incumbent = glp_mip_obj_val(glp_ios_get_prob(T));
                report(s, AOG_EVENT_WARM_START, t_cnt);
            }
        }
        break;
    case GLP_IBRANCH:
        if (s->model->branch_first != NULL && !s->presolving) branch_on_marked(T, s->model);
        break;
    default:
        break;
    }
    /* Any improved incumbent, whether found at a node (GLP_IBINGO) or by GLPK's heuristics. */
    glp_prob *P = glp_ios_get_prob(T);
    int mip = glp_mip_status(P);
    if (mip == GLP_FEAS || mip == GLP_OPT) {
        double value = glp_mip_obj_val(P);
        if (!s->has_incumbent || better(s->model, value, s->incumbent)) {
            s->has_incumbent = 1;
            s->incumbent = value;
            report(s, AOG_EVENT_INCUMBENT, t_cnt);
        }
    }
    int p = glp_ios_best_node(T);
    if (p != 0) {
        double b = glp_ios_node_bound(T, p);
        if (!s->has_bound || better(s->model, s->bound, b)) {
            s->has_bound = 1;
            s->bound = b;
            report(s, AOG_EVENT_BOUND, t_cnt);
        }
    }
    /* After the warm start and the incumbent are recorded: the same model stops at the same node. */
    if (s->args->node_limit > 0 && t_cnt >= s->args->node_limit) {
        s->stopped_by_node_limit = 1;
        glp_ios_terminate(T);
    }
}

static int has_integers(const aog_model *m) {
    for (int j = 0; j < m->n_cols; j++) if (m->col_kind[j] != 0) return 1;
    return 0;
}

static int remaining_ms(solve_state *s, int cap) {
    if (!isfinite(s->deadline)) return cap;
    double left = (s->deadline - now_seconds()) * 1000.0;
    if (left < 1) return 1;
    return left < cap ? (int)left : cap;
}

/* The root LP in slices of 5,000 simplex iterations, so that cancellation and the deadline are
 * honoured while it runs (GLPK calls no callback during an LP). Slices by iterations, not by
 * time: where a slice ends changes the path of the simplex, and a path that depends on the
 * machine's load would make budgeted runs irreproducible. Returns 0 when solved, 1 when stopped. */
static int solve_root_lp(glp_prob *P, solve_state *s) {
    glp_smcp smcp;
    glp_init_smcp(&smcp);
    smcp.msg_lev = s->args->msg_level;
    smcp.presolve = GLP_OFF;
    smcp.it_lim = 5000;
    for (;;) {
        if (should_stop(s)) return 1;
        smcp.tm_lim = remaining_ms(s, 0x7fffffff);
        int ret = glp_simplex(P, &smcp);
        s->args->glpk_return = ret;
        if (ret == 0) return 0;
        if (ret == GLP_EITLIM || ret == GLP_ETMLIM) continue;
        return -1;
    }
}

static void copy_values(glp_prob *P, const aog_model *m, aog_solve_args *a, int mip) {
    a->has_solution = 1;
    a->objective = mip ? glp_mip_obj_val(P) : glp_get_obj_val(P);
    if (a->values != NULL)
        for (int j = 0; j < m->n_cols; j++)
            a->values[j] = mip ? glp_mip_col_val(P, j + 1) : glp_get_col_prim(P, j + 1);
}

int aog_solve(const aog_model *m, aog_solve_args *a) {
    guard g;
    memset(&g, 0, sizeof g);
    g.log = a->log;
    g.log_context = a->log_context;
    g.forward = a->msg_level > GLP_MSG_OFF;
    guard *previous = current_guard;
    solve_state s;
    memset(&s, 0, sizeof s);
    s.args = a;
    s.model = m;
    s.deadline = a->time_limit_seconds > 0 ? now_seconds() + a->time_limit_seconds : INFINITY;
    a->status = 0;
    a->has_solution = 0;
    a->has_bound = 0;
    a->warm_start_accepted = 0;
    a->message[0] = 0;
    if (a->warm_start != NULL) {
        s.warm = malloc(sizeof(double) * (size_t)(m->n_cols + 1));
        if (s.warm != NULL) {
            s.warm[0] = 0;
            for (int j = 0; j < m->n_cols; j++) s.warm[j + 1] = a->warm_start[j];
        }
    }
    if (setjmp(g.jump)) {
        copy_message(a->message, sizeof a->message, g.last_output);
        free(s.warm);
        finish(previous);
        return a->status = AOG_GLPK_ERROR;
    }
    install_hooks(&g);
    glp_prob *P = build(m);
    int stopped = solve_root_lp(P, &s);
    a->lp_iterations = glp_get_it_cnt(P);
    if (stopped == 1) {
        a->status = s.stopped_by_deadline ? AOG_TIME_LIMIT : AOG_CANCELLED;
    } else if (stopped < 0) {
        a->status = AOG_SOLVER_FAILED;
        copy_message(a->message, sizeof a->message, g.last_output);
    } else {
        int lp = glp_get_status(P);
        if (lp == GLP_NOFEAS) {
            a->status = AOG_INFEASIBLE;
        } else if (lp == GLP_UNBND) {
            a->status = AOG_UNBOUNDED;
        } else if (lp != GLP_OPT) {
            a->status = AOG_SOLVER_FAILED;
            copy_message(a->message, sizeof a->message, "the root LP ended neither optimal, infeasible nor unbounded");
        } else if (!has_integers(m)) {
            copy_values(P, m, a, 0);
            a->bound = a->objective;
            a->has_bound = 1;
            a->status = AOG_OPTIMAL;
        } else {
            s.has_bound = 1;
            s.bound = glp_get_obj_val(P);
            report(&s, AOG_EVENT_BOUND, 0);
            glp_iocp iocp;
            glp_init_iocp(&iocp);
            iocp.msg_lev = a->msg_level;
            iocp.presolve = (a->presolve && a->warm_start == NULL) ? GLP_ON : GLP_OFF;
            iocp.mip_gap = a->mip_gap;
            if (a->cuts) {
                iocp.gmi_cuts = GLP_ON;
                iocp.mir_cuts = GLP_ON;
                iocp.clq_cuts = GLP_ON;
            }
            iocp.tm_lim = remaining_ms(&s, 0x7fffffff);
            iocp.cb_func = on_tree;
            s.presolving = iocp.presolve == GLP_ON;
            /* GLPK's presolve and the LP of the presolved problem call no callback: do not start
             * them when the solve is already to stop. */
            int found = 0;
            if (should_stop(&s)) {
                a->status = s.stopped_by_deadline ? AOG_TIME_LIMIT : AOG_CANCELLED;
            } else {
                iocp.cb_info = &s;
                int ret = glp_intopt(P, &iocp);
                a->glpk_return = ret;
                a->lp_iterations = glp_get_it_cnt(P);
                int mip = glp_mip_status(P);
                found = (mip == GLP_OPT || mip == GLP_FEAS);
                if (found) copy_values(P, m, a, 1);
                switch (ret) {
                case 0:
                    if (mip == GLP_OPT) a->status = AOG_OPTIMAL;
                    else if (mip == GLP_NOFEAS) a->status = AOG_INFEASIBLE;
                    else a->status = AOG_SOLVER_FAILED;
                    break;
                case GLP_ENOPFS: a->status = AOG_INFEASIBLE; break;
                case GLP_ENODFS: a->status = AOG_UNBOUNDED; break;
                case GLP_ETMLIM: a->status = AOG_TIME_LIMIT; break;
                case GLP_EMIPGAP: a->status = AOG_GAP_REACHED; break;
                case GLP_ESTOP:
                    a->status = s.stopped_by_deadline ? AOG_TIME_LIMIT : s.stopped_by_node_limit ? AOG_NODE_LIMIT : AOG_CANCELLED;
                    break;
                default:
                    a->status = AOG_SOLVER_FAILED;
                    copy_message(a->message, sizeof a->message, g.last_output);
                }
            }
            if (a->status == AOG_OPTIMAL && found) {
                a->bound = a->objective;
                a->has_bound = 1;
            } else if (s.has_bound) {
                a->bound = s.bound;
                a->has_bound = 1;
            }
        }
    }
    glp_delete_prob(P);
    free(s.warm);
    finish(previous);
    return a->status;
}

void aog_request_cancel(aog_solve_args *a) { __atomic_store_n(&a->cancel, 1, __ATOMIC_RELEASE); }

int aog_cancel_requested(const aog_solve_args *a) { return __atomic_load_n(&a->cancel, __ATOMIC_ACQUIRE); }

int aog_write(const aog_model *m, const char *path, int format, char *message, int message_size) {
    guard g;
    memset(&g, 0, sizeof g);
    guard *previous = current_guard;
    if (setjmp(g.jump)) {
        copy_message(message, message_size, g.last_output);
        finish(previous);
        return -1;
    }
    install_hooks(&g);
    glp_prob *P = build(m);
    int ret = format == 0 ? glp_write_lp(P, NULL, path) : glp_write_mps(P, GLP_MPS_FILE, NULL, path);
    if (ret != 0) copy_message(message, message_size, g.last_output[0] ? g.last_output : "GLPK could not write the file");
    glp_delete_prob(P);
    finish(previous);
    return ret == 0 ? 0 : -1;
}

int aog_provoke_misuse(char *message, int message_size) {
    guard g;
    memset(&g, 0, sizeof g);
    guard *previous = current_guard;
    if (setjmp(g.jump)) {
        copy_message(message, message_size, g.last_output);
        finish(previous);
        return AOG_GLPK_ERROR;
    }
    install_hooks(&g);
    glp_prob *P = glp_create_prob();
    glp_add_rows(P, -1); /* GLPK: invalid number of rows */
    glp_delete_prob(P);
    finish(previous);
    return 0;
}
