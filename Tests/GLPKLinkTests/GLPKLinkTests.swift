import CGLPK
import Testing

/// Proves that GLPK is linked: a two-variable integer program solved through the raw C API.
@Suite struct GLPKLinkTests {
    /// maximise 5x + 4y  s.t.  6x + 4y ≤ 24,  x + 2y ≤ 6,  x, y ∈ ℤ≥0  →  optimum 20 at (4, 0).
    @Test func solvesATinyIntegerProgram() {
        let lp = glp_create_prob()
        defer { glp_delete_prob(lp) }
        glp_term_out(GLP_OFF)
        glp_set_obj_dir(lp, GLP_MAX)
        glp_add_rows(lp, 2)
        glp_set_row_bnds(lp, 1, GLP_UP, 0, 24)
        glp_set_row_bnds(lp, 2, GLP_UP, 0, 6)
        glp_add_cols(lp, 2)
        for (j, c) in [(Int32(1), 5.0), (2, 4.0)] {
            glp_set_col_bnds(lp, j, GLP_LO, 0, 0)
            glp_set_col_kind(lp, j, GLP_IV)
            glp_set_obj_coef(lp, j, c)
        }
        var rows: [Int32] = [0, 1, 1, 2, 2]
        var cols: [Int32] = [0, 1, 2, 1, 2]
        var vals: [Double] = [0, 6, 4, 1, 2]
        glp_load_matrix(lp, 4, &rows, &cols, &vals)
        var parm = glp_iocp()
        glp_init_iocp(&parm)
        parm.presolve = GLP_ON
        parm.msg_lev = GLP_MSG_OFF
        #expect(glp_intopt(lp, &parm) == 0)
        #expect(glp_mip_status(lp) == GLP_OPT)
        #expect(glp_mip_obj_val(lp) == 20)
        #expect(glp_mip_col_val(lp, 1) == 4)
        #expect(glp_mip_col_val(lp, 2) == 0)
    }
}
