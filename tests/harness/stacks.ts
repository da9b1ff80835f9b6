/** The dev and prod stacks, evaluated once per test process and shared by every spec. */
import { allPolicies } from "../../policy/policies";
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
            return { run, violations: await runPolicies(run.resources, allPolicies) };
        })();
        cache.set(stack, p);
    }
    return p;
}
