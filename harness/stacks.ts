/** The dev and prod stacks, evaluated once per test process and shared by every spec. */
import { loadPolicyPackConfig } from "../policy/pack-config";
import { allPolicies } from "../policy/policies";
import { runPolicies, type Violation } from "./policy-runner";
import { runStack, type StackRun } from "./run";

export interface EvaluatedStack {
    readonly run: StackRun;
    readonly violations: readonly Violation[];
}

const cache = new Map<string, Promise<EvaluatedStack>>();

export function evaluated(stack: "dev" | "prod"): Promise<EvaluatedStack> {
    let p = cache.get(stack);
    if (!p) {
        p = (async () => {
            const run = await runStack({ stack });
            if (run.error) throw run.error;
            // With the stack's pack configuration, as `npm run plan` and `npm run ci` apply it.
            const config = loadPolicyPackConfig(stack);
            return { run, violations: await runPolicies(run.resources, allPolicies, { config }) };
        })();
        cache.set(stack, p);
    }
    return p;
}
