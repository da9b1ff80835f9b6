/**
 * The CI driver: runs preview, up, refresh (drift check) or destroy for a stack through the Pulumi
 * Automation API, with the policy pack on every preview and up. Needs the Pulumi CLI and a logged-in
 * backend (PULUMI_BACKEND_URL or PULUMI_ACCESS_TOKEN, plus cloud credentials) from the environment.
 *
 *   npm run ci -- <preview|up|refresh|destroy> --stack <name> [--confirm-destroy <name>] [--policy-pack-config <file>]
 *
 * Exit codes ({@link ExitCode}): 0 success, or no drift; 1 the operation failed or a mandatory policy
 * violation; 2 bad usage, a missing or invalid stack file or policy config, or a refused destroy; 3 refresh
 * found drift; 4 no usable Pulumi CLI.
 */
import { createAutomation } from "./ci/automation";
import { ExitCode, runCi } from "./ci/driver";

export { ExitCode };

/** Runs the driver against the real Automation API, writing to this process's stdout and stderr. */
export function cli(argv: string[]): Promise<ExitCode> {
    const output = { stdout: (s: string) => process.stdout.write(s), stderr: (s: string) => process.stderr.write(s) };
    return runCi(argv, { automation: createAutomation(), output });
}

if (require.main === module) {
    cli(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (e) => {
            console.error(`error: ${(e as Error).message}`);
            process.exit(ExitCode.failed);
        },
    );
}
