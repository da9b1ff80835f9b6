/**
 * Audits the GitHub Actions workflows of this checkout (see tools/ci/workflows/audit.ts) and prints
 * every problem. The test suite runs the same audit; this is for a quick look while editing a workflow.
 *
 *   npm run audit:workflows
 *
 * Exit codes: 0 no problem, 1 at least one problem.
 */
import * as path from "path";
import { auditRepository } from "./ci/workflows/audit";

if (require.main === module) {
    const problems = auditRepository(path.resolve(__dirname, ".."));
    for (const problem of problems) console.error(`- ${problem}`);
    console.log(problems.length === 0 ? "Workflows: no problem." : `Workflows: ${problems.length} problem(s).`);
    process.exit(problems.length === 0 ? 0 : 1);
}
