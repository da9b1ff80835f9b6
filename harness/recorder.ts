/**
 * A mock monitor that records every registration the program makes, with the engine-side facts
 * (parent, provider, dependencies, protect) that plain `setMocks` throws away.
 */
import { MockMonitor, type Mocks } from "@pulumi/pulumi/runtime/mocks";
import { deserializeProperty, serializeProperties } from "@pulumi/pulumi/runtime/rpc";

/** `rpc.deserializeProperties` for a wire object already converted from its `Struct`. */
function deserializeWire(wire: Record<string, any>): Record<string, any> {
    const props: Record<string, any> = {};
    for (const [k, v] of Object.entries(wire)) if (v !== undefined) props[k] = deserializeProperty(v);
    return props;
}

/** The part of a `RegisterResourceResponse` the SDK reads (sdk/nodejs/runtime/resource.ts). */
interface RegisterResponse {
    getUrn(): string;
    getId(): string;
    getObject(): { toJavaScript(): Record<string, any> };
    getPropertydependenciesMap(): undefined;
    getResult(): number;
    getUnknown(): boolean;
}

/**
 * A copy of a wire value with every object's keys sorted, as a `Struct` gives them back (its fields
 * are a protobuf map, which iterates in key order): the SDK and the record see what they saw before.
 */
function sortedWire(v: any): any {
    if (v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) return v.map(sortedWire);
    const out: Record<string, any> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortedWire(v[k]);
    return out;
}

function registerResponse(urn: string, id: string, state: Record<string, any>): RegisterResponse {
    return {
        getUrn: () => urn,
        getId: () => id,
        // The SDK rebuilds every object and array as it deserializes, so handing it the state itself
        // is safe: nothing it resolves outputs with shares structure with the record.
        getObject: () => ({ toJavaScript: () => state }),
        // No property dependencies (what the base class's empty map amounts to), `Result.SUCCESS`.
        getPropertydependenciesMap: () => undefined,
        getResult: () => 0,
        getUnknown: () => false,
    };
}

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
    return plainWire(struct ? struct.toJavaScript() : {});
}

/** A wire object (a `Struct` already converted to JavaScript) as plain JSON, with its secret keys. */
function plainWire(js: Record<string, any>): { value: Record<string, any>; secretKeys: string[] } {
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

    /** The base class's members that its typings call private (public in its JavaScript). */
    private get base(): { transformCallbacks: Map<string, unknown>; newUrn(p: string, t: string, n: string): string } {
        return this as unknown as {
            transformCallbacks: Map<string, unknown>;
            newUrn(p: string, t: string, n: string): string;
        };
    }

    /**
     * What `MockMonitor.registerResource` does (mocked state keyed by URN, the same URN rule, the same
     * transforms), without its round trips through protobuf: the request's inputs are converted once
     * (the base class converts them again for the mocks), and the response carries the serialized state
     * as is instead of a `Struct` that the recorder and the SDK would each convert back, and that the
     * SDK prints into a debug message whether or not debug logging is on. At a few thousand resources
     * those copies were a quarter of a plan's time and most of its garbage.
     */
    override async registerResource(req: any, callback: (err: any, response: any) => void): Promise<void> {
        let response: RegisterResponse;
        try {
            const wire: Record<string, any> = req.getObject()?.toJavaScript() ?? {};
            const inputs = plainWire(wire);
            const transforms = req
                .getTransformsList()
                .map((cb: any) => this.base.transformCallbacks.get(cb.getToken()))
                .filter((transform: unknown) => transform !== undefined);
            const result = await this.mocks.newResource({
                type: req.getType(),
                name: req.getName(),
                inputs: deserializeWire(wire),
                provider: req.getProvider(),
                custom: req.getCustom(),
                id: req.getImportid(),
                transforms,
            });
            const urn = this.base.newUrn(req.getParent(), req.getType(), req.getName());
            const state: Record<string, any> = await serializeProperties("", result.state);
            this.resources.set(urn, { urn, id: result.id ?? null, state });
            const outputs = sortedWire(state);
            response = registerResponse(urn, result.id || "", outputs);
            const propertyDependencies: Record<string, string[]> = {};
            req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
                propertyDependencies[key] = deps.getUrnsList();
            });
            const providers: Record<string, string> = {};
            req.getProvidersMap().forEach((ref: string, pkg: string) => {
                providers[pkg] = providerUrn(ref) ?? ref;
            });
            this.recorded.push({
                urn,
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
                aliases: aliasUrns(req, urn),
                inputs: inputs.value,
                secretInputs: inputs.secretKeys,
                outputs: { ...plainWire(outputs).value, ...(result.id ? { id: result.id } : {}) },
            });
        } catch (err) {
            callback(err, undefined);
            return;
        }
        callback(null, response);
    }
}
