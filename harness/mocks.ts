/**
 * Mocks that answer like the clouds would: ARNs in the provider's region and account, GCP ids in
 * the provider's project, merged tags, endpoints. Program code that reads outputs (policies built from
 * ARNs, peers built from tunnel addresses) is exercised with realistic values. An invoke without a
 * mock fails loudly instead of returning nothing.
 */
import * as fs from "fs";
import * as path from "path";
import { host, mustParseCidr } from "../components/shared/cidr";
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

export type Computed = (ctx: MockContext) => Record<string, any>;

const awsArn = (ctx: MockContext, service: string, resource: string) =>
    `arn:aws:${service}:${ctx.region}:${MOCK_AWS_ACCOUNT}:${resource}`;

/** Type-specific outputs. Later components add the types they read outputs of. */
export const COMPUTED_OUTPUTS: Record<string, Computed> = {
    "aws:kms/key:Key": (ctx) => ({ keyId: ctx.id, arn: awsArn(ctx, "kms", `key/${ctx.id}`) }),
    "aws:kms/alias:Alias": (ctx) => ({ arn: awsArn(ctx, "kms", ctx.inputs.name ?? ctx.name) }),
    "aws:cloudwatch/logGroup:LogGroup": (ctx) => {
        const name = ctx.inputs.name ?? `${ctx.name}-${ctx.id.slice(-6)}`;
        return { name, arn: awsArn(ctx, "logs", `log-group:${name}`) };
    },
    "gcp:kms/keyRing:KeyRing": (ctx) => ({
        id: `projects/${ctx.inputs.project ?? ctx.project}/locations/${ctx.inputs.location}/keyRings/${ctx.inputs.name}`,
    }),
    "gcp:kms/cryptoKey:CryptoKey": (ctx) => ({ id: `${ctx.inputs.keyRing}/cryptoKeys/${ctx.inputs.name}` }),
    // awsx builds these children in its own provider; offline only the component's outputs exist.
    "awsx:ec2:Vpc": (ctx) => {
        const azs: number = ctx.inputs.numberOfAvailabilityZones ?? 3;
        const specs: { type: string }[] = ctx.inputs.subnetSpecs ?? [{ type: "Public" }, { type: "Private" }];
        const ids = (kind: string) =>
            Array.from({ length: azs }, (_, i) => `subnet-${ctx.name}-${kind.toLowerCase()}-${i}`);
        const nats =
            ctx.inputs.natGateways?.strategy === "OnePerAz" ? azs : ctx.inputs.natGateways?.strategy === "None" ? 0 : 1;
        return {
            vpcId: `vpc-${ctx.id}`,
            publicSubnetIds: specs.some((s) => s.type === "Public") ? ids("Public") : [],
            privateSubnetIds: specs.some((s) => s.type === "Private") ? ids("Private") : [],
            isolatedSubnetIds: specs.some((s) => s.type === "Isolated") ? ids("Isolated") : [],
            routeTables: specs.flatMap((s) => ids(s.type).map((id) => ({ id: id.replace("subnet-", "rtb-") }))),
            natGateways: Array.from({ length: nats }, (_, i) => ({ id: `nat-${ctx.name}-${i}` })),
        };
    },
    "aws:ec2transitgateway/transitGateway:TransitGateway": (ctx) => ({
        id: `tgw-${ctx.id}`,
        associationDefaultRouteTableId: `tgw-rtb-${ctx.id}`,
    }),
    "aws:ec2/vpnConnection:VpnConnection": (ctx) => {
        const tunnel = (n: 1 | 2) => {
            const inside = mustParseCidr(ctx.inputs[`tunnel${n}InsideCidr`]);
            return {
                // Distinct public endpoints per connection, as AWS assigns them.
                [`tunnel${n}Address`]: `52.0.${parseInt(ctx.id.slice(-6), 16) % 250}.${n === 1 ? 11 : 12}`,
                // AWS takes the first host of the /30 and gives the customer gateway the second.
                [`tunnel${n}VgwInsideAddress`]: host(inside, 1),
                [`tunnel${n}CgwInsideAddress`]: host(inside, 2),
                [`tunnel${n}BgpAsn`]: "64512",
            };
        };
        return { id: `vpn-${ctx.id}`, ...tunnel(1), ...tunnel(2) };
    },
    "gcp:compute/haVpnGateway:HaVpnGateway": (ctx) => ({
        vpnInterfaces: [
            { id: 0, ipAddress: "35.242.10.1" },
            { id: 1, ipAddress: "35.242.10.2" },
        ],
        id: `projects/${ctx.project}/regions/${ctx.inputs.region}/vpnGateways/${ctx.name}`,
    }),
    "gcp:servicenetworking/connection:Connection": () => ({ peering: "servicenetworking-googleapis-com" }),
    // Kubernetes clusters: what the program reads to build Kubernetes providers.
    "eks:index:Cluster": (ctx) => {
        const name = ctx.inputs.name ?? ctx.name;
        const endpoint = `https://${ctx.id.toUpperCase()}.gr7.${ctx.region}.eks.amazonaws.com`;
        const kubeconfig = {
            apiVersion: "v1",
            kind: "Config",
            clusters: [{ name, cluster: { server: endpoint, "certificate-authority-data": "bW9jay1jYQ==" } }],
            contexts: [{ name, context: { cluster: name, user: name } }],
            "current-context": name,
            users: [
                {
                    name,
                    user: {
                        exec: {
                            apiVersion: "client.authentication.k8s.io/v1beta1",
                            command: "aws",
                            args: ["eks", "get-token", "--cluster-name", name],
                        },
                    },
                },
            ],
        };
        return {
            kubeconfig,
            kubeconfigJson: JSON.stringify(kubeconfig),
            eksCluster: {
                id: name,
                name,
                endpoint,
                arn: awsArn(ctx, "eks", `cluster/${name}`),
                certificateAuthority: { data: "bW9jay1jYQ==" },
            },
            clusterSecurityGroupId: `sg-cluster-${ctx.id}`,
            nodeSecurityGroupId: `sg-node-${ctx.id}`,
            oidcProviderArn: `arn:aws:iam::${MOCK_AWS_ACCOUNT}:oidc-provider/oidc.eks.${ctx.region}.amazonaws.com/id/${ctx.id.toUpperCase()}`,
            oidcProviderUrl: `oidc.eks.${ctx.region}.amazonaws.com/id/${ctx.id.toUpperCase()}`,
            oidcIssuer: `oidc.eks.${ctx.region}.amazonaws.com/id/${ctx.id.toUpperCase()}`,
        };
    },
    // Node groups pin the launch template version they were created from.
    "aws:ec2/launchTemplate:LaunchTemplate": () => ({ latestVersion: 1, defaultVersion: 1 }),
    "gcp:container/cluster:Cluster": (ctx) => ({
        // The external address; a private cluster's internal one is `privateClusterConfig.privateEndpoint`.
        endpoint: "34.118.10.2",
        masterAuth: { clusterCaCertificate: "bW9jay1na2UtY2E=" },
        // A peering-based private cluster: GKE takes the second address of the master /28 for the internal
        // endpoint and names the peering after the cluster.
        ...(ctx.inputs.privateClusterConfig?.masterIpv4CidrBlock
            ? {
                  privateClusterConfig: {
                      ...ctx.inputs.privateClusterConfig,
                      privateEndpoint: host(mustParseCidr(ctx.inputs.privateClusterConfig.masterIpv4CidrBlock), 2),
                      peeringName: `gke-n${ctx.id.slice(-6)}-peer`,
                  },
              }
            : {}),
        location: ctx.inputs.location,
        name: ctx.inputs.name ?? `${ctx.name}-${ctx.id.slice(-6)}`,
    }),
    // TLS: distinct, recognisable PEM per resource, so tests can follow which certificate signed which.
    "tls:index/privateKey:PrivateKey": (ctx) => ({
        privateKeyPem: `-----BEGIN PRIVATE KEY-----\n${ctx.id}\n-----END PRIVATE KEY-----\n`,
        publicKeyPem: `-----BEGIN PUBLIC KEY-----\n${ctx.id}\n-----END PUBLIC KEY-----\n`,
    }),
    "tls:index/selfSignedCert:SelfSignedCert": (ctx) => ({
        certPem: `-----BEGIN CERTIFICATE-----\nself-signed:${ctx.id}\n-----END CERTIFICATE-----\n`,
    }),
    "tls:index/certRequest:CertRequest": (ctx) => ({
        certRequestPem: `-----BEGIN CERTIFICATE REQUEST-----\n${ctx.id}\n-----END CERTIFICATE REQUEST-----\n`,
    }),
    "tls:index/locallySignedCert:LocallySignedCert": (ctx) => ({
        certPem: `-----BEGIN CERTIFICATE-----\nsigned:${ctx.id}\n-----END CERTIFICATE-----\n`,
    }),
    "random:index/randomPassword:RandomPassword": (ctx) => ({
        result: `mock${ctx.id.replace(/[^A-Za-z0-9]/g, "")}`.padEnd(ctx.inputs.length ?? 16, "x"),
    }),
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

/**
 * Mock outputs of further areas live in `mock-outputs/<area>.ts`, each exporting `outputs` and/or
 * `invokes` records; they are merged here so areas can be added without touching this file.
 */
function loadAreaMocks(): void {
    const dir = path.join(__dirname, "mock-outputs");
    for (const file of fs.readdirSync(dir).sort()) {
        if (!file.endsWith(".ts") || file.endsWith(".d.ts")) continue;
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const area = require(path.join(dir, file)) as { outputs?: Record<string, Computed>; invokes?: typeof INVOKES };
        for (const [type, fn] of Object.entries(area.outputs ?? {})) {
            if (COMPUTED_OUTPUTS[type]) throw new Error(`mock outputs for ${type} are defined twice (${file})`);
            COMPUTED_OUTPUTS[type] = fn;
        }
        for (const [token, fn] of Object.entries(area.invokes ?? {})) {
            if (INVOKES[token]) throw new Error(`mock invoke ${token} is defined twice (${file})`);
            INVOKES[token] = fn;
        }
    }
}
loadAreaMocks();

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
            // The provider auto-names GCP resources; the mock does the same so names can be referenced.
            state.name = args.inputs.name ?? `${args.name}-${id.slice(-6)}`;
            state.id = `projects/${state.project}/${args.type.split(":")[2].toLowerCase()}s/${state.name}`;
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
        if (!invoke) throw new Error(`no offline mock for invoke ${args.token}; add one to harness/mocks.ts`);
        const { region, project } = this.placement(args.provider);
        return invoke(args, region, project);
    }
}
