/**
 * A mock monitor that records every registration the program makes, with the engine-side facts
 * (parent, provider, dependencies, protect) that plain `setMocks` throws away.
 */
import { MockMonitor, type Mocks } from "@pulumi/pulumi/runtime/mocks";

export interface RecordedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** True for provider-managed resources, false for components. */
    readonly custom: boolean;
    /** True for multi-language components (awsx, eks) whose children are invisible offline. */
    readonly remote: boolean;
    readonly parent?: string;
    /** URN of the explicit provider, or undefined when the resource would use a default provider. */
    readonly provider?: string;
    /** Provider map of a component (`package -> provider URN`). */
    readonly providers: Readonly<Record<string, string>>;
    readonly dependencies: readonly string[];
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    /**
     * Former URNs this resource answers to (`aliases`), resolved the way the engine resolves them: an
     * alias spec's missing name, type, stack or project is the resource's own, and its parent is the
     * given one, none, or the resource's own parent.
     */
    readonly aliases: readonly string[];
    /** Inputs with secrets unwrapped and resource references replaced by their URN. */
    readonly inputs: Record<string, any>;
    /** Names of top-level inputs that were secret. */
    readonly secretInputs: readonly string[];
    /** State the mocks returned (the outputs other resources read). */
    readonly outputs: Record<string, any>;
}

// Signatures of the Pulumi wire format (sdk/nodejs/runtime/rpc.ts).
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SIG_SECRET = "1b47061264138c4ac30d75fd1eb44270";
const SIG_RESOURCE = "5cf8f73096256a8f31e491e813e4eb8e";
const SIG_OUTPUT = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const SIG_ASSET = "c44067f5952c0a294b673a41bacd8c17";
const SIG_ARCHIVE = "0def7320c3a5731c473e5ecbe6d01bc7";

interface Plain {
    value: any;
    secret: boolean;
}

/** Turns a wire value into plain JSON, reporting whether any part of it was secret. */
export function toPlain(v: any): Plain {
    if (v === null || typeof v !== "object") return { value: v, secret: false };
    if (Array.isArray(v)) {
        const items = v.map(toPlain);
        return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
    }
    switch (v[SIG_KEY]) {
        case SIG_SECRET: {
            const inner = toPlain(v.value);
            return { value: inner.value, secret: true };
        }
        case SIG_RESOURCE:
            return { value: v.urn, secret: false };
        case SIG_OUTPUT: {
            const inner = toPlain(v.value);
            return { value: inner.value, secret: inner.secret || v.secret === true };
        }
        case SIG_ASSET:
        case SIG_ARCHIVE: {
            const { [SIG_KEY]: _sig, ...rest } = v;
            void _sig;
            return { value: rest, secret: false };
        }
    }
    const out: Record<string, any> = {};
    let secret = false;
    for (const [k, item] of Object.entries(v)) {
        const p = toPlain(item);
        out[k] = p.value;
        secret ||= p.secret;
    }
    return { value: out, secret };
}

function plainObject(struct: any): { value: Record<string, any>; secretKeys: string[] } {
    const js = struct ? struct.toJavaScript() : {};
    const value: Record<string, any> = {};
    const secretKeys: string[] = [];
    for (const [k, v] of Object.entries(js)) {
        const p = toPlain(v);
        value[k] = p.value;
        if (p.secret) secretKeys.push(k);
    }
    return { value, secretKeys };
}

/** `urn:pulumi:<stack>::<project>::<qualified type>::<name>`, split into its parts. */
function urnParts(urn: string): { stack: string; project: string; qualifiedType: string; name: string } {
    const [head, project, qualifiedType, ...name] = urn.split("::");
    return { stack: head.slice("urn:pulumi:".length), project, qualifiedType, name: name.join("::") };
}

/**
 * Resolves the aliases of a registration to URNs (plain URN aliases and alias specs alike). The engine
 * qualifies a type with its parent's whole type chain; the mock runtime with the parent's last type
 * only. Plans are mock runs, so aliases resolve by the mock's rule and compare with the plan's URNs.
 */
function aliasUrns(req: any, ownUrn: string): string[] {
    const own = urnParts(ownUrn);
    const urns: string[] = [...(req.getAliasurnsList?.() ?? [])];
    for (const alias of req.getAliasesList?.() ?? []) {
        if (alias.getUrn()) {
            urns.push(alias.getUrn());
            continue;
        }
        const spec = alias.getSpec();
        if (!spec) continue;
        const type = spec.getType() || req.getType();
        const parent = spec.hasNoparent() && spec.getNoparent() ? "" : spec.getParenturn() || req.getParent();
        // The same rule the mock monitor names resources by (its parent's own type, then the type), so
        // an alias compares equal to the URN the resource had before it moved.
        const qualifiedType = parent ? `${urnParts(parent).qualifiedType.split("$").pop()}$${type}` : type;
        const stack = spec.getStack() || own.stack;
        const project = spec.getProject() || own.project;
        urns.push(`urn:pulumi:${stack}::${project}::${qualifiedType}::${spec.getName() || req.getName()}`);
    }
    return urns;
}

/** Strips the `::<id>` suffix of a provider reference. */
function providerUrn(ref: string): string | undefined {
    if (!ref) return undefined;
    const i = ref.lastIndexOf("::");
    return i > 0 ? ref.slice(0, i) : ref;
}

export class RecordingMonitor extends MockMonitor {
    readonly recorded: RecordedResource[] = [];
    /** Names of the stack outputs that are secrets (the engine sees them marked; the SDK's return value does not). */
    readonly secretStackOutputs = new Set<string>();

    override registerResourceOutputs(req: any, callback: (err: any, response: any) => void): void {
        if (String(req.getUrn()).includes("::pulumi:pulumi:Stack::")) {
            for (const k of plainObject(req.getOutputs()).secretKeys) this.secretStackOutputs.add(k);
        }
        super.registerResourceOutputs(req, callback);
    }

    constructor(mocks: Mocks) {
        super(mocks);
    }

    override async registerResource(req: any, callback: (err: any, response: any) => void): Promise<void> {
        const inputs = plainObject(req.getObject());
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
            propertyDependencies[key] = deps.getUrnsList();
        });
        const providers: Record<string, string> = {};
        req.getProvidersMap().forEach((ref: string, pkg: string) => {
            providers[pkg] = providerUrn(ref) ?? ref;
        });
        return super.registerResource(req, (err, response) => {
            if (!err && response) {
                this.recorded.push({
                    urn: response.getUrn(),
                    type: req.getType(),
                    name: req.getName(),
                    custom: req.getCustom(),
                    remote: req.getRemote(),
                    parent: req.getParent() || undefined,
                    provider: providerUrn(req.getProvider()),
                    providers,
                    dependencies: req.getDependenciesList(),
                    propertyDependencies,
                    protect: req.getProtect() === true,
                    retainOnDelete: req.getRetainondelete() === true,
                    aliases: aliasUrns(req, response.getUrn()),
                    inputs: inputs.value,
                    secretInputs: inputs.secretKeys,
                    outputs: {
                        ...plainObject(response.getObject()).value,
                        ...(response.getId() ? { id: response.getId() } : {}),
                    },
                });
            }
            callback(err, response);
        });
    }
}
