import * as assert from "assert";
import { allPolicies } from "../../policy/policies";
import { messagingPolicies } from "../../policy/policies/messaging";
import { runPolicies } from "../../harness/policy-runner";
import { evaluated } from "./fixture";

describe("messaging area under the policy pack", () => {
    for (const env of ["dev", "prod"] as const) {
        it(`${env}: every resource has an explicit provider and no policy (existing or messaging) reports a violation`, async () => {
            const rs = await evaluated(env);
            for (const r of rs.filter((x) => x.custom && !x.type.startsWith("pulumi:providers:")))
                assert.ok(r.provider, `${r.type} ${r.name} has no explicit provider`);
            const violations = await runPolicies(rs, [...allPolicies, ...messagingPolicies]);
            assert.deepStrictEqual(violations, []);
        });
    }
});
