/**
 * Reads `Pulumi.yaml` and `Pulumi.<stack>.yaml` the way the CLI does, into the flat
 * `namespace:key -> string` map the Node runtime expects. Secure values cannot be decrypted here; they
 * become placeholders that stay marked secret, so code that handles them is still exercised.
 */
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";

export interface StackConfig {
    readonly project: string;
    readonly stack: string;
    /** `namespace:key` to the value as the runtime sees it (objects and lists JSON-encoded). */
    readonly config: Record<string, string>;
    /** Keys whose values are secret. */
    readonly secretKeys: string[];
}

export class StackFileError extends Error {}

function readYaml(file: string): Record<string, unknown> {
    let doc: unknown;
    try {
        doc = yaml.load(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new StackFileError(`cannot read ${file}: ${(e as Error).message}`);
    }
    if (doc === null || doc === undefined) return {};
    if (typeof doc !== "object" || Array.isArray(doc)) throw new StackFileError(`${file} is not a YAML mapping`);
    return doc as Record<string, unknown>;
}

const isSecure = (v: unknown): v is { secure: string } =>
    typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && "secure" in v;

/** Placeholder for a secure value: recognisable, and never the real secret. */
export function securePlaceholder(key: string): string {
    return `offline-secret-placeholder:${key}`;
}

export interface LoadOptions {
    /** Folder with `Pulumi.yaml`. @default the repository root */
    readonly projectDir?: string;
    /** Stack file to read instead of `Pulumi.<stack>.yaml`. */
    readonly stackFile?: string;
}

export function loadStackConfig(stack: string, opts: LoadOptions = {}): StackConfig {
    const dir = opts.projectDir ?? path.resolve(__dirname, "..");
    const projectDoc = readYaml(path.join(dir, "Pulumi.yaml"));
    const project = projectDoc.name;
    if (typeof project !== "string") throw new StackFileError(`${path.join(dir, "Pulumi.yaml")} has no project name`);
    const stackFile = opts.stackFile ?? path.join(dir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(stackFile)) throw new StackFileError(`stack file ${stackFile} does not exist`);

    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    const put = (rawKey: string, value: unknown) => {
        const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
        if (isSecure(value)) {
            config[key] = securePlaceholder(key);
            secretKeys.push(key);
        } else {
            config[key] = typeof value === "string" ? value : JSON.stringify(value);
        }
    };
    // Project-level defaults first (`config: { key: { default: v } }` or `key: v`), stack values win.
    const projectConfig = (projectDoc.config ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(projectConfig)) {
        if (typeof v === "object" && v !== null && !Array.isArray(v) && ("default" in v || "value" in v)) {
            const d = v as { default?: unknown; value?: unknown };
            put(k, d.value ?? d.default);
        } else if (typeof v !== "object" || v === null || Array.isArray(v)) {
            put(k, v);
        }
    }
    const stackConfig = readYaml(stackFile).config ?? {};
    if (typeof stackConfig !== "object" || Array.isArray(stackConfig))
        throw new StackFileError(`${stackFile}: 'config' is not a mapping`);
    for (const [k, v] of Object.entries(stackConfig as Record<string, unknown>)) put(k, v);
    return { project, stack, config, secretKeys };
}
