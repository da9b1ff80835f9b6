/**
 * Generated input: the dev and prod stack files with one to three keys changed, deleted or added, as a
 * new user would (wrong types, negative numbers, floats, empty strings, long strings, lists, typos in
 * keys and namespaces, and valid alternatives). Every case must either be rejected with exit-2 semantics,
 * each problem naming a key that was changed and, for that key, the value received; or be accepted and
 * then run to completion. The validator runs for every case (under a millisecond each); the whole program
 * costs about half a second a case, so it runs for a fixed sample of the accepted and rejected cases.
 */
import * as assert from "assert";
import fc from "fast-check";
import { ConfigValidationError } from "../../config/load";
import { decode } from "../../config/rules/namespaces";
import { validateStackConfig } from "../../config/validate";
import { runStack } from "../../harness/run";
import { NS, overridesFor, stackValues, type StackValues } from "./issue-cases";

const CASES = 300;
const SEED = Number(process.env.CONFIG_FC_SEED ?? 20261111);
/** Program runs: enough to catch a late failure class, few enough to keep `npm test` quick. */
const ACCEPTED_RUNS = 8;
const REJECTED_RUNS = 4;

const DELETE = Symbol("delete");
type Value = unknown;

interface Perturbation {
    /** The namespaced top-level key. */
    readonly key: string;
    /** Path inside its value; empty for the key itself. */
    readonly path: readonly string[];
    readonly value: Value;
}

interface Case {
    readonly stack: "dev" | "prod";
    readonly changes: readonly Perturbation[];
}

/** Valid alternatives by key path, so that a fair share of the cases is accepted. */
const VALID: Record<string, readonly Value[]> = {
    environment: ["dev", "prod"],
    "aws.primaryRegion": ["us-east-1", "us-east-2", "eu-west-1"],
    "aws.secondaryRegion": ["us-west-2", "eu-central-1"],
    "gcp.project": ["acme-dr-1", "platform-dr-test"],
    "gcp.region": ["us-east4", "europe-west1"],
    "network.awsPrimaryVpcCidr": ["10.200.0.0/16", "172.16.0.0/16"],
    "network.awsSecondaryVpcCidr": ["10.201.0.0/16", "192.168.0.0/16"],
    "network.gcpSubnetCidr": ["10.202.0.0/20"],
    "network.gcpDataSubnetCidr": ["10.202.16.0/24"],
    "network.gkePodsCidr": ["10.204.0.0/14"],
    "network.gkeServicesCidr": ["10.208.0.0/20"],
    "network.gcpPrivateServicesCidr": ["10.209.0.0/20"],
    "network.gkeMasterCidr": ["10.209.16.0/28"],
    "network.awsBgpAsn": [64513, 65534, 4200000001],
    "network.gcpBgpAsn": [65000, 4200000000, 4294967294],
    "network.vpnTunnelInsideCidrs": [["169.254.30.0/30", "169.254.30.4/30", "169.254.31.0/30", "169.254.31.4/30"]],
    "tags.owner": ["ops", "team-a"],
    "tags.cost-center": ["cc-2002"],
    "tags.data-classification": ["public", "restricted"],
    "tags.team": ["payments", ""],
    "sizing.availabilityZoneCount": [2, 3],
    "sizing.natGateways": ["single", "one-per-az"],
    "sizing.logRetentionDays": [7, 30, 731],
    "sizing.backupRetentionDays": [7, 14, 35],
    "sizing.kubernetesNodeInstanceTypes": [["m6i.large"], ["t3.large", "t3a.large"]],
    "sizing.databaseInstanceClass": ["db.r6g.large", "db.r7g.xlarge"],
    "sizing.databaseReaderCount": [0, 1, 14],
    "sizing.kafkaBrokerInstanceType": ["kafka.t3.small", "kafka.m7g.large"],
    "sizing.cacheNodeType": ["cache.t4g.small", "cache.r6g.large"],
    "sizing.allowReducedDurability": [true],
    "sizing.allowUnlistedInstanceTypes": [true],
    // The catalog's Kafka topics: a DR topic no entry publishes is refused once the catalog is loaded.
    "messaging.drTopics": [["orders"], ["payments", "orders"]],
    "messaging.pubsubConnectorJarPath": ["vendor/connector-1.2.jar"],
    "messaging.pubsubKeyRotationDays": [30, 365],
    "data.startDrMigration": [true, false],
};

/** Keys a user adds by mistake: typos of keys and namespaces. */
const TYPOS = ["sizing.natGateway", "network.awsPrimaryCidr", "region", "multicloud-platfrom:aws", "awz:region"];

const ADVERSARIAL = fc.oneof(
    fc.constantFrom<Value>(
        null,
        true,
        0,
        -1,
        1.5,
        2147483648,
        4200000000,
        "",
        "x".repeat(300),
        "010.010.000.000/16",
        "10.0.0.0/8",
        "10.10.0.1/16",
        "Upper Case",
        "acme-google-dr",
        "t3.huge",
        "db.r6g.larg",
        [],
        {},
        ["*"],
        DELETE,
    ),
    fc.integer({ min: -(2 ** 33), max: 2 ** 33 }),
    fc.double(),
    fc.string({ maxLength: 40 }),
    fc.array(fc.oneof(fc.string({ maxLength: 12 }), fc.integer()), { maxLength: 4 }),
);

const PATHS = Object.keys(VALID);

const perturbation: fc.Arbitrary<Perturbation> = fc
    .oneof(
        {
            weight: 6,
            arbitrary: fc
                .constantFrom(...PATHS)
                .chain((p) =>
                    fc.tuple(
                        fc.constant(p),
                        fc.oneof(
                            { weight: 3, arbitrary: fc.constantFrom(...VALID[p]) },
                            { weight: 2, arbitrary: ADVERSARIAL },
                        ),
                    ),
                ),
        },
        {
            weight: 1,
            arbitrary: fc.tuple(
                fc.constantFrom(...TYPOS),
                fc.constantFrom<Value>("x", 1, { primaryRegion: "us-east-1" }),
            ),
        },
        {
            weight: 1,
            arbitrary: fc.tuple(
                fc.constant("pulumi:disable-default-providers"),
                fc.oneof(fc.constantFrom<Value>(["*"], ["aws", "gcp"], DELETE), ADVERSARIAL),
            ),
        },
    )
    .map(([p, value]) => {
        if (p.includes(":")) return { key: p, path: [], value };
        const [top, ...rest] = p.split(".");
        return { key: NS + top, path: rest.length > 0 ? [rest.join(".")] : [], value };
    });

const cases: fc.Arbitrary<Case> = fc.record({
    stack: fc.constantFrom<"dev" | "prod">("dev", "prod"),
    changes: fc.array(perturbation, { minLength: 1, maxLength: 3 }),
});

function apply(c: Case): StackValues {
    const v = stackValues(c.stack);
    for (const { key, path, value } of c.changes) {
        if (path.length === 0) {
            if (value === DELETE) delete v[key];
            else v[key] = value;
            continue;
        }
        if (v[key] === undefined) v[key] = {};
        const obj = v[key];
        if (typeof obj !== "object" || obj === null || Array.isArray(obj)) continue;
        if (value === DELETE) delete obj[path[0]];
        else obj[path[0]] = value;
    }
    return v;
}

/** The flat `namespace:key -> string` map the runtime would hold for these values. */
function flatten(v: StackValues): Record<string, string> {
    return Object.fromEntries(
        Object.entries(v).map(([k, x]) => [k, typeof x === "string" ? x : (JSON.stringify(x) ?? "null")]),
    );
}

/** What the validator sees at a perturbation's key: the value after the runtime's encoding and decoding. */
function seen(flat: Record<string, string>, p: Perturbation): unknown {
    const top = flat[p.key] === undefined ? undefined : decode(flat[p.key]);
    if (p.path.length === 0) return top;
    return typeof top === "object" && top !== null && !Array.isArray(top) ? (top as any)[p.path[0]] : undefined;
}

/** How a message shows a value, written out here so the test does not trust the code under test. */
const render = (v: unknown) => (v === undefined ? "nothing" : JSON.stringify(v));

const keyOf = (p: Perturbation) => [p.key, ...p.path].join(".");
const MESSAGE = /^(\S+): .+; received .+\. Allowed: .+\. Fix: .+\.$/s;

/** Whether `problem` is about `p`: its key, a part of it or a whole that holds it, or a key it names. */
function about(problem: string, key: string, p: Perturbation): boolean {
    const bare = key.startsWith(NS) ? key.slice(NS.length) : key;
    const pKey = keyOf(p);
    const pBare = pKey.startsWith(NS) ? pKey.slice(NS.length) : pKey;
    return (
        key === pKey ||
        key.startsWith(`${pKey}.`) ||
        key.startsWith(`${pKey}[`) ||
        pKey.startsWith(`${key}.`) ||
        problem.includes(pBare) ||
        // A changed environment changes the defaults and the derived tags every other key is judged by.
        (pBare === "environment" && (bare.startsWith("sizing.") || bare.startsWith("tags")))
    );
}

function check(c: Case): "accepted" | "rejected" {
    const flat = flatten(apply(c));
    const result = validateStackConfig(flat, c.stack);
    if (result.ok) return "accepted";
    assert.ok(result.problems.length > 0);
    for (const problem of result.problems) {
        const m = MESSAGE.exec(problem);
        assert.ok(m, `not in the message format: ${problem}`);
        const key = m[1];
        const causes = c.changes.filter((p) => about(problem, key, p));
        assert.ok(
            causes.length > 0,
            `${problem}\n  is about none of the changed keys ${c.changes.map(keyOf).join(", ")}`,
        );
        for (const p of causes.filter((x) => keyOf(x) === key)) {
            const last = p.path.length > 0 ? p.path[p.path.length - 1] : p.key;
            assert.ok(
                problem.includes(`received ${render(seen(flat, p))}.`) || problem.includes(`received ${render(last)}.`),
                `${problem}\n  does not name the value ${render(seen(flat, p))}`,
            );
        }
    }
    return "rejected";
}

describe(`generated stack files (${CASES} cases, seed ${SEED})`, () => {
    const sample = fc.sample(cases, { numRuns: CASES, seed: SEED });
    const outcome = new Map<Case, "accepted" | "rejected">();

    it("every case is rejected naming the changed key and value, or accepted", () => {
        fc.assert(
            fc.property(cases, (c) => void check(c)),
            { numRuns: CASES, seed: SEED },
        );
        for (const c of sample) outcome.set(c, check(c));
        const accepted = [...outcome.values()].filter((o) => o === "accepted").length;
        // Both branches must be exercised, or the property says little.
        assert.ok(accepted >= 30 && CASES - accepted >= 30, `${accepted} of ${CASES} accepted`);
    });

    it(`the program runs to completion for ${ACCEPTED_RUNS} accepted cases`, async () => {
        const accepted = sample.filter((c) => outcome.get(c) === "accepted").slice(0, ACCEPTED_RUNS);
        assert.strictEqual(accepted.length, ACCEPTED_RUNS);
        for (const c of accepted) {
            const run = await runStack({ stack: c.stack, overrides: overridesFor(c.stack, apply(c)) });
            assert.strictEqual(run.error, undefined, `${JSON.stringify(c.changes)}: ${run.error?.message}`);
        }
    });

    it(`the program fails with the validator's problems and registers nothing for ${REJECTED_RUNS} rejected cases`, async () => {
        const rejected = sample.filter((c) => outcome.get(c) === "rejected").slice(0, REJECTED_RUNS);
        for (const c of rejected) {
            const values = apply(c);
            const run = await runStack({ stack: c.stack, overrides: overridesFor(c.stack, values) });
            assert.ok(run.error instanceof ConfigValidationError, `${JSON.stringify(c.changes)}: ${run.error}`);
            const expected = validateStackConfig(flatten(values), c.stack);
            assert.deepStrictEqual(run.error.problems, expected.ok ? [] : expected.problems);
            assert.deepStrictEqual(
                run.resources.map((r) => r.type),
                ["pulumi:pulumi:Stack"],
            );
        }
    });
});
