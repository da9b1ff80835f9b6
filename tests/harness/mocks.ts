/**
 * Mocks that answer like the clouds would: ARNs in the provider's region and account, GCP ids in
 * the provider's project, merged tags, endpoints. Program code that reads outputs (policies built from
 * ARNs, peers built from tunnel addresses) is exercised with realistic values. An invoke without a
 * mock fails loudly instead of returning nothing.
 */
import type {
    MockCallArgs,
    MockCallResult,
    MockResourceArgs,
    MockResourceResult,
    Mocks,
} from "@pulumi/pulumi/runtime/mocks";

export const MOCK_AWS_ACCOUNT = "123456789012";
export const MOCK_GCP_PROJECT_NUMBER = "987654321098";

interface ProviderFacts {
    readonly pkg: string;
    readonly inputs: Record<string, any>;
}

/** What a computed-output function sees. */
export interface MockContext {
    readonly name: string;
    readonly inputs: Record<string, any>;
    readonly id: string;
    /** AWS region or GCP region of the resource's provider. */
    readonly region: string;
    /** GCP project of the resource's provider. */
    readonly project: string;
}

type Computed = (ctx: MockContext) => Record<string, any>;

const awsArn = (ctx: MockContext, service: string, resource: string) =>
    `arn:aws:${service}:${ctx.region}:${MOCK_AWS_ACCOUNT}:${resource}`;

/** Type-specific outputs. Later components add the types they read outputs of. */
export const COMPUTED_OUTPUTS: Record<string, Computed> = {
    "aws:kms/key:Key": (ctx) => ({ keyId: ctx.id, arn: awsArn(ctx, "kms", `key/${ctx.id}`) }),
    "aws:kms/alias:Alias": (ctx) => ({ arn: awsArn(ctx, "kms", ctx.inputs.name ?? ctx.name) }),
    "gcp:kms/keyRing:KeyRing": (ctx) => ({
        id: `projects/${ctx.inputs.project ?? ctx.project}/locations/${ctx.inputs.location}/keyRings/${ctx.inputs.name}`,
    }),
    "gcp:kms/cryptoKey:CryptoKey": (ctx) => ({ id: `${ctx.inputs.keyRing}/cryptoKeys/${ctx.inputs.name}` }),
};

/** Invoke results by token. */
export const INVOKES: Record<string, (args: MockCallArgs, region: string, project: string) => MockCallResult> = {
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
        id: MOCK_AWS_ACCOUNT,
        accountId: MOCK_AWS_ACCOUNT,
        arn: `arn:aws:iam::${MOCK_AWS_ACCOUNT}:role/ci-deployer`,
        userId: "AROAEXAMPLE:ci",
    }),
    "aws:index/getPartition:getPartition": () => ({
        id: "aws",
        partition: "aws",
        dnsSuffix: "amazonaws.com",
        reverseDnsPrefix: "com.amazonaws",
    }),
    "aws:index/getRegion:getRegion": (_a, region) => ({ id: region, region, name: region }),
    "aws:index/getAvailabilityZones:getAvailabilityZones": (_a, region) => ({
        id: region,
        names: ["a", "b", "c", "d"].map((s) => `${region}${s}`),
        zoneIds: ["1", "2", "3", "4"].map((s) => `${region.replace(/-/g, "").slice(0, 4)}-az${s}`),
    }),
    "gcp:organizations/getProject:getProject": (args, _r, project) => ({
        id: `projects/${args.inputs.projectId ?? project}`,
        projectId: args.inputs.projectId ?? project,
        number: MOCK_GCP_PROJECT_NUMBER,
        name: args.inputs.projectId ?? project,
    }),
};

function parseJsonInput(v: unknown): any {
    if (typeof v !== "string") return v;
    try {
        return JSON.parse(v);
    } catch {
        return v;
    }
}

export class PlatformMocks implements Mocks {
    private readonly providers = new Map<string, ProviderFacts>();
    private counter = 0;

    private facts(ref: string | undefined): ProviderFacts | undefined {
        if (!ref) return undefined;
        return this.providers.get(ref.slice(ref.lastIndexOf("::") + 2));
    }

    private placement(ref: string | undefined): { region: string; project: string } {
        const inputs = this.facts(ref)?.inputs ?? {};
        return { region: inputs.region ?? "unknown-region", project: inputs.project ?? "unknown-project" };
    }

    newResource(args: MockResourceArgs): MockResourceResult {
        const id = `${args.name}-${(++this.counter).toString(16).padStart(6, "0")}`;
        if (args.type.startsWith("pulumi:providers:")) {
            this.providers.set(id, { pkg: args.type.slice("pulumi:providers:".length), inputs: args.inputs });
            return { id, state: args.inputs };
        }
        const { region, project } = this.placement(args.provider);
        const ctx: MockContext = { name: args.name, inputs: args.inputs, id, region, project };
        const state: Record<string, any> = { ...args.inputs };
        const provider = this.facts(args.provider);
        if (args.type.startsWith("aws:")) {
            const service = args.type.split(":")[1].split("/")[0];
            state.arn = awsArn(ctx, service, `${args.name}/${id}`);
            // What the AWS provider computes: provider default tags merged under the resource's own.
            const defaults = parseJsonInput(provider?.inputs.defaultTags)?.tags ?? {};
            if ("tags" in args.inputs || Object.keys(defaults).length > 0)
                state.tagsAll = { ...defaults, ...(args.inputs.tags ?? {}) };
        } else if (args.type.startsWith("gcp:")) {
            state.project = args.inputs.project ?? project;
            state.selfLink = `https://www.googleapis.com/mock/v1/projects/${state.project}/${args.name}`;
            const defaults = parseJsonInput(provider?.inputs.defaultLabels) ?? {};
            if ("labels" in args.inputs || Object.keys(defaults).length > 0) {
                state.effectiveLabels = { ...defaults, ...(args.inputs.labels ?? {}) };
            }
        }
        Object.assign(state, COMPUTED_OUTPUTS[args.type]?.(ctx));
        return { id: state.id ?? id, state };
    }

    call(args: MockCallArgs): MockCallResult {
        const invoke = INVOKES[args.token];
        if (!invoke) throw new Error(`no offline mock for invoke ${args.token}; add one to tests/harness/mocks.ts`);
        const { region, project } = this.placement(args.provider);
        return invoke(args, region, project);
    }
}
