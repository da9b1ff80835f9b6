import * as assert from "assert";
import { validatePlatformConfig, type RawConfig } from "../../config/validate";
import { loadStackConfig } from "../../harness/stack-config";

/** The dev stack file's project keys, parsed. */
function devRaw(): RawConfig {
    const raw: RawConfig = {};
    for (const [k, v] of Object.entries(loadStackConfig("dev").config)) {
        if (!k.startsWith("multicloud-platform:")) continue;
        const key = k.slice("multicloud-platform:".length);
        try {
            raw[key] = JSON.parse(v);
        } catch {
            raw[key] = v;
        }
    }
    return raw;
}

const problemsWith = (change: Record<string, unknown>) => {
    const result = validatePlatformConfig({ ...devRaw(), ...change }, "dev");
    return result.ok ? [] : result.problems;
};

const configWith = (change: Record<string, unknown>) => {
    const result = validatePlatformConfig({ ...devRaw(), ...change }, "dev");
    assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
    return result.config;
};

describe("config: data paths", () => {
    describe("data.startDrMigration", () => {
        it("defaults to false, with or without a data section", () => {
            assert.strictEqual(configWith({}).data.startDrMigration, false);
            assert.strictEqual(configWith({ data: {} }).data.startDrMigration, false);
        });

        it("passes true and false through", () => {
            assert.strictEqual(configWith({ data: { startDrMigration: true } }).data.startDrMigration, true);
            assert.strictEqual(configWith({ data: { startDrMigration: false } }).data.startDrMigration, false);
        });

        const cases: [string, unknown, string[]][] = [
            [
                "a string",
                { startDrMigration: "yes" },
                [
                    `multicloud-platform:data.startDrMigration: must be true or false; received "yes". Allowed: true or false. Fix: pulumi config set --path 'data.startDrMigration' true.`,
                ],
            ],
            [
                "a misspelt key",
                { startMigration: true },
                [
                    `multicloud-platform:data.startMigration: unknown key; received true. Allowed: one of startDrMigration. Fix: rename or remove 'startMigration' under 'multicloud-platform:data'.`,
                ],
            ],
            [
                "a data section that is not an object",
                true,
                [
                    `multicloud-platform:data: must be an object; received true. Allowed: an object with optional data settings: startDrMigration. Fix: add 'multicloud-platform:data' to Pulumi.dev.yaml (see README, "Config reference").`,
                ],
            ],
        ];
        for (const [what, data, expected] of cases) {
            it(`rejects ${what} with the exact message`, () =>
                assert.deepStrictEqual(problemsWith({ data }), expected));
        }
    });
    describe("messaging.pubsubKeyRotationDays", () => {
        it("defaults to 90 days and passes a valid period through", () => {
            assert.strictEqual(configWith({}).messaging.pubsubKeyRotationDays, 90);
            const messaging = { pubsubKeyRotationDays: 30 };
            assert.strictEqual(configWith({ messaging }).messaging.pubsubKeyRotationDays, 30);
        });

        const cases: [unknown, string][] = [
            [
                0,
                `multicloud-platform:messaging.pubsubKeyRotationDays: must be a whole number in range; received 0. Allowed: a whole number from 1 to 365. Fix: pulumi config set --path 'messaging.pubsubKeyRotationDays' 90.`,
            ],
            [
                366,
                `multicloud-platform:messaging.pubsubKeyRotationDays: must be a whole number in range; received 366. Allowed: a whole number from 1 to 365. Fix: pulumi config set --path 'messaging.pubsubKeyRotationDays' 90.`,
            ],
            [
                "90",
                `multicloud-platform:messaging.pubsubKeyRotationDays: must be a whole number in range; received "90". Allowed: a whole number from 1 to 365. Fix: pulumi config set --path 'messaging.pubsubKeyRotationDays' 90.`,
            ],
        ];
        for (const [days, message] of cases) {
            it(`rejects ${JSON.stringify(days)} with the exact message`, () =>
                assert.deepStrictEqual(problemsWith({ messaging: { pubsubKeyRotationDays: days } }), [message]));
        }
    });
});
