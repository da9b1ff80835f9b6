/**
 * Data: the switch that starts the DR migration job. Off by default, because starting verifies a source
 * that an operator prepares after the first deployment (README, "DR runbook").
 */
import { DATA_DEFAULTS } from "../schema";
import { booleanRule, isObject, objectRule, unknownKeyRules, type ConfigRule, type ConfigView } from "./rule";

export function dataRules(view: ConfigView): ConfigRule[] {
    const rules = [objectRule("data", "optional data settings: startDrMigration", false)];
    const raw = view.raw.data;
    if (!isObject(raw)) return rules;
    rules.push(...unknownKeyRules("data", raw, Object.keys(DATA_DEFAULTS)));
    if ("startDrMigration" in raw) rules.push(booleanRule("data.startDrMigration"));
    return rules;
}
