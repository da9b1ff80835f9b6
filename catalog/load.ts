/**
 * Reads the service catalog and the stack's overrides from the repository and validates them together.
 * The program calls it right after the stack config, before any resource is registered; a problem
 * throws the same {@link ConfigValidationError} as invalid stack config, so the Pulumi CLI and the
 * offline plan print the messages without a trace (and the plan exits 2).
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import type { ServiceCatalog } from "../components/catalog";
import { ConfigValidationError } from "../config/load";
import { CATALOG_FILE, overridesFile, validateCatalog, type CatalogDocuments } from "./validate";

const ROOT = path.resolve(__dirname, "..");

type Parsed = { ok: true; value: unknown } | { ok: false; problem: string };

/** A YAML file of the repository; a missing optional file is `undefined`. */
function readYaml(file: string, optional: boolean): Parsed {
    const full = path.join(ROOT, file);
    if (optional && !fs.existsSync(full)) return { ok: true, value: undefined };
    try {
        return { ok: true, value: yaml.load(fs.readFileSync(full, "utf8"), { filename: file }) };
    } catch (e) {
        return { ok: false, problem: `${file}: cannot be read as YAML: ${(e as Error).message.split("\n")[0]}` };
    }
}

/** The catalog's documents as the repository holds them for `stack`. */
export function catalogDocuments(stack: string): CatalogDocuments | { problems: string[] } {
    const services = readYaml(CATALOG_FILE, false);
    const overrides = readYaml(overridesFile(stack), true);
    const problems = [services, overrides].flatMap((p) => (p.ok ? [] : [p.problem]));
    if (!services.ok || !overrides.ok) return { problems };
    return { services: services.value, overrides: overrides.value };
}

/**
 * The validated catalog of `stack`: from `docs` when given (tests and tools vary the catalog this way),
 * else from `catalog/services.yaml` and `catalog/overrides/<stack>.yaml`. Throws
 * {@link ConfigValidationError} with every problem at once.
 */
export function loadServiceCatalog(stack: string, docs?: CatalogDocuments): ServiceCatalog {
    const read = docs ?? catalogDocuments(stack);
    if ("problems" in read) throw new ConfigValidationError(stack, read.problems);
    const result = validateCatalog(read, stack);
    if (!result.ok) throw new ConfigValidationError(stack, result.problems);
    return result.catalog;
}
