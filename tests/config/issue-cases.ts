/**
 * The config problems of issue 11, each as a change to a stack file and the exact message it must
 * produce. Shared by the spec that runs them through the real program and the generated-input test.
 */
import { loadStackConfig } from "../../harness/stack-config";

/** A stack's config, every namespace, values decoded: what a case changes. */
export type StackValues = Record<string, any>;

export const NS = "multicloud-platform:";

export function stackValues(stack: "dev" | "prod"): StackValues {
    const values: StackValues = {};
    for (const [k, v] of Object.entries(loadStackConfig(stack).config)) {
        try {
            values[k] = JSON.parse(v);
        } catch {
            values[k] = v;
        }
    }
    return values;
}

/** `runStack` overrides that turn the stack file into `values` (keys it lacks are deleted). */
export function overridesFor(stack: "dev" | "prod", values: StackValues): Record<string, unknown> {
    const deleted = Object.keys(loadStackConfig(stack).config).filter((k) => !(k in values));
    return { ...Object.fromEntries(deleted.map((k) => [k, undefined])), ...values };
}

export interface RejectedCase {
    readonly name: string;
    readonly stack: "dev" | "prod";
    readonly change: (v: StackValues) => void;
    readonly messages: readonly string[];
}

const fix = (path: string, value: string) => `Fix: pulumi config set --path '${path}' ${value}.`;
const UNLISTED = "pulumi config set --path 'sizing.allowUnlistedInstanceTypes' true.";

export const REJECTED: readonly RejectedCase[] = [
    {
        name: "a CIDR with leading zeros",
        stack: "dev",
        change: (v) => (v[NS + "network"].awsPrimaryVpcCidr = "010.010.000.000/16"),
        messages: [
            `multicloud-platform:network.awsPrimaryVpcCidr: is not a canonical IPv4 CIDR block: a number has a leading zero, which resources would copy verbatim; received "010.010.000.000/16". Allowed: an RFC 1918 IPv4 block with prefix /16 to /20 and no host bits set, such as 10.10.0.0/16. ${fix("network.awsPrimaryVpcCidr", "10.10.0.0/16")}`,
        ],
    },
    {
        name: "62 tags, more than AWS's 50 less the platform's headroom",
        stack: "dev",
        change: (v) => {
            for (let i = 0; i < 57; i++) v[NS + "tags"][`team-${i}`] = "x";
        },
        messages: [
            `multicloud-platform:tags: holds more tags than leave room on every resource for the platform's own; received 62. Allowed: at most 40 tags, managed-by, environment included (AWS allows 50 per resource; 10 stay free for tags the platform and AWS add). Fix: remove 22 tags from 'multicloud-platform:tags'.`,
        ],
    },
    {
        name: 'a GCP project id containing "google"',
        stack: "dev",
        change: (v) => (v[NS + "gcp"].project = "acme-google-dr"),
        messages: [
            `multicloud-platform:gcp.project: contains "google", which Google does not allow in a project id; received "acme-google-dr". Allowed: a GCP project id without any of google, null, undefined, ssl. Fix: set the id of the DR project with pulumi config set --path 'gcp.project' acme-platform-dr.`,
        ],
    },
    {
        name: "db.r6g.larg and t3.huge",
        stack: "dev",
        change: (v) =>
            (v[NS + "sizing"] = { databaseInstanceClass: "db.r6g.larg", kubernetesNodeInstanceTypes: ["t3.huge"] }),
        messages: [
            `multicloud-platform:sizing.kubernetesNodeInstanceTypes[0]: is not a known EKS node instance type (x86_64); received "t3.huge". Allowed: t3 sizes nano, micro, small, medium, large, xlarge, 2xlarge (components/shared/instance-types.ts); with sizing.allowUnlistedInstanceTypes: true, an EC2 instance type (<family>.<size>). Fix: pulumi config set --path 'sizing.kubernetesNodeInstanceTypes[0]' t3.large, or if t3.huge is a new type, ${UNLISTED}`,
            `multicloud-platform:sizing.databaseInstanceClass: is not a known Aurora global-database instance class; received "db.r6g.larg". Allowed: db.r6g sizes large, xlarge, 2xlarge, 4xlarge, 8xlarge, 12xlarge, 16xlarge (components/shared/instance-types.ts); with sizing.allowUnlistedInstanceTypes: true, a memory-optimized RDS class (db.r* or db.x*), the only ones an Aurora global database takes. Fix: pulumi config set --path 'sizing.databaseInstanceClass' db.r6g.large, or if db.r6g.larg is a new type, ${UNLISTED}`,
        ],
    },
    {
        name: "a misspelt broker and cache type",
        stack: "dev",
        change: (v) =>
            (v[NS + "sizing"] = { kafkaBrokerInstanceType: "kafka.m5.larg", cacheNodeType: "cache.r7g.larg" }),
        messages: [
            `multicloud-platform:sizing.kafkaBrokerInstanceType: is not a known MSK Standard broker type; received "kafka.m5.larg". Allowed: kafka.m5 sizes large, xlarge, 2xlarge, 4xlarge, 8xlarge, 12xlarge, 16xlarge, 24xlarge (components/shared/instance-types.ts); with sizing.allowUnlistedInstanceTypes: true, an MSK Standard broker type (kafka.<family>.<size>). Fix: pulumi config set --path 'sizing.kafkaBrokerInstanceType' kafka.m5.large, or if kafka.m5.larg is a new type, ${UNLISTED}`,
            `multicloud-platform:sizing.cacheNodeType: is not a known ElastiCache node type; received "cache.r7g.larg". Allowed: cache.r7g sizes large, xlarge, 2xlarge, 4xlarge, 8xlarge, 12xlarge, 16xlarge (components/shared/instance-types.ts); with sizing.allowUnlistedInstanceTypes: true, an ElastiCache node type (cache.<family>.<size>). Fix: pulumi config set --path 'sizing.cacheNodeType' cache.r7g.large, or if cache.r7g.larg is a new type, ${UNLISTED}`,
        ],
    },
    {
        name: "a Graviton node type, which the x86_64 node AMI cannot boot, listed twice",
        stack: "dev",
        change: (v) => (v[NS + "sizing"] = { kubernetesNodeInstanceTypes: ["m7g.large", "m7g.large"] }),
        messages: [0, 1]
            .map(
                (i) =>
                    `multicloud-platform:sizing.kubernetesNodeInstanceTypes[${i}]: is a Graviton (arm64) type, and the EKS node groups run the x86_64 AL2023 AMI; received "m7g.large". Allowed: an x86_64 type such as m6i.xlarge. ${fix(`sizing.kubernetesNodeInstanceTypes[${i}]`, "m6i.xlarge")}`,
            )
            .concat(
                `multicloud-platform:sizing.kubernetesNodeInstanceTypes: names m7g.large more than once; received ["m7g.large","m7g.large"]. Allowed: each instance type once. Fix: remove the repeated entries from 'sizing.kubernetesNodeInstanceTypes'.`,
            ),
    },
    {
        name: "a misspelt project namespace",
        stack: "dev",
        change: (v) => {
            v["multicloud-platfrom:aws"] = v[NS + "aws"];
            delete v[NS + "aws"];
        },
        messages: [
            `multicloud-platfrom:aws: unknown config namespace 'multicloud-platfrom', which nothing in this program reads; received {"primaryRegion":"us-east-1","secondaryRegion":"us-west-2"}. Allowed: keys in the namespaces multicloud-platform, pulumi, aws, awsx, eks, gcp, kubernetes, postgresql, random, tls. Fix: rename the key to 'multicloud-platform:aws' in Pulumi.dev.yaml.`,
            `multicloud-platform:aws: required key is missing; received nothing. Allowed: an object with primaryRegion and secondaryRegion. Fix: add 'multicloud-platform:aws' to Pulumi.dev.yaml (see README, "Config reference").`,
        ],
    },
    {
        name: "a namespace nothing reads",
        stack: "prod",
        change: (v) => (v["datadog:apiKey"] = "abc"),
        messages: [
            `datadog:apiKey: unknown config namespace 'datadog', which nothing in this program reads; received "abc". Allowed: keys in the namespaces multicloud-platform, pulumi, aws, awsx, eks, gcp, kubernetes, postgresql, random, tls. Fix: remove the key from Pulumi.prod.yaml, or move it into one of those namespaces.`,
        ],
    },
    {
        name: "pulumi:disable-default-providers: true",
        stack: "dev",
        change: (v) => (v["pulumi:disable-default-providers"] = true),
        messages: [
            `pulumi:disable-default-providers: must be a list of package names; received true. Allowed: a list of package names, such as ["*"] (every package; what the stack files use) or ["aws", "gcp"]. Fix: write it as a YAML list in Pulumi.dev.yaml (pulumi:disable-default-providers: ["*"]), or pulumi config set --path 'pulumi:disable-default-providers[0]' '*'.`,
        ],
    },
    {
        name: "prod on two AZs, which drops Kafka to replication factor 2",
        stack: "prod",
        change: (v) => (v[NS + "sizing"] = { availabilityZoneCount: 2 }),
        messages: [
            `multicloud-platform:sizing.availabilityZoneCount: gives prod Kafka replication factor 2 and min.insync.replicas 1, below the 3 and 2 prod keeps; received 2. Allowed: 3 in prod, or fewer with sizing.allowReducedDurability: true to accept the weaker durability. Fix: pulumi config set --path 'sizing.availabilityZoneCount' 3, or accept it with pulumi config set --path 'sizing.allowReducedDurability' true.`,
        ],
    },
    {
        name: "15 Aurora readers, one more than a global database's primary takes",
        stack: "prod",
        change: (v) => (v[NS + "sizing"] = { databaseReaderCount: 15 }),
        messages: [
            `multicloud-platform:sizing.databaseReaderCount: must be a whole number in range; received 15. Allowed: a whole number from 0 to 14. ${fix("sizing.databaseReaderCount", "2")}`,
        ],
    },
    {
        name: "three AZs in us-west-1, where MSK takes two",
        stack: "dev",
        change: (v) => (v[NS + "aws"].primaryRegion = "us-west-1"),
        messages: [
            `multicloud-platform:sizing.availabilityZoneCount: is more AZs than MSK uses in us-west-1 (aws.primaryRegion); received 3. Allowed: 2 in us-west-1, where MSK takes exactly that many client subnets. Fix: pulumi config set --path 'sizing.availabilityZoneCount' 2, or choose another aws.primaryRegion.`,
        ],
    },
    {
        name: "an empty required tag, a number as a tag value and a tag the components set",
        stack: "dev",
        change: (v) => Object.assign(v[NS + "tags"], { owner: "", "cost-center": 1001, purpose: "x" }),
        messages: [
            `multicloud-platform:tags.owner: required tag is empty; the policy pack rejects every resource that carries it empty; received "". Allowed: a non-empty value of up to 63 lowercase letters, digits, '_' or '-' (GCP label rules). Fix: pulumi config set --path 'tags.owner' <value>.`,
            `multicloud-platform:tags.cost-center: tag value must be a string (quote numbers and booleans in the stack file); received 1001. Allowed: up to 63 lowercase letters, digits, '_' or '-' (GCP label rules). Fix: quote it in Pulumi.dev.yaml: cost-center: "1001".`,
            `multicloud-platform:tags.purpose: is a tag the components set on resources themselves, where a stack value would be silently replaced; received "x". Allowed: any key except purpose. Fix: rename 'purpose' under 'multicloud-platform:tags'.`,
        ],
    },
    {
        name: "DR topics that collide in Pub/Sub or in connector names, and one too short for Pub/Sub",
        stack: "dev",
        change: (v) => (v[NS + "messaging"] = { drTopics: ["orders", "orders-dead-letter", "a.b", "a_b", "ab"] }),
        messages: [
            `multicloud-platform:messaging.drTopics[4]: is not a name both Kafka and Pub/Sub accept; received "ab". Allowed: 3 to 200 characters that start with a letter, then letters, digits, '.', '_' or '-', not starting with "goog" (Kafka and Pub/Sub both accept them). ${fix("messaging.drTopics[4]", "orders")}`,
            `multicloud-platform:messaging.drTopics: Pub/Sub topic orders-dead-letter would be created twice; two topics share the connector name suffix a-b; received ["orders","orders-dead-letter","a.b","a_b","ab"]. Allowed: distinct topics whose Pub/Sub names (with their -dead-letter twins) and connector names stay distinct. Fix: rename or remove the colliding entries of 'messaging.drTopics'.`,
        ],
    },
    {
        // Valid as config, but the catalog creates no such Kafka topic: refused once the catalog is loaded.
        name: "DR topics that no catalog entry publishes as a Kafka topic, one of them a typo",
        stack: "prod",
        change: (v) => (v[NS + "messaging"] = { drTopics: ["orders", "payment", "refunds"] }),
        messages: [
            `multicloud-platform:messaging.drTopics[1]: is not a Kafka topic of the service catalog, so the bridge would read a topic nobody creates; received "payment". Allowed: one of orders, payments (the Kafka topics the entries of catalog/services.yaml publish). Fix: pulumi config set --path 'messaging.drTopics[1]' payments, or add it to the publishes.kafka of the service that produces it in catalog/services.yaml, or remove it from 'messaging.drTopics'.`,
            `multicloud-platform:messaging.drTopics[2]: is not a Kafka topic of the service catalog, so the bridge would read a topic nobody creates; received "refunds". Allowed: one of orders, payments (the Kafka topics the entries of catalog/services.yaml publish). Fix: add it to the publishes.kafka of the service that produces it in catalog/services.yaml, or remove it from 'messaging.drTopics'.`,
        ],
    },
    {
        name: "a float, a negative number and a string where numbers and booleans go",
        stack: "dev",
        change: (v) =>
            (v[NS + "sizing"] = {
                availabilityZoneCount: 2.5,
                backupRetentionDays: -1,
                allowUnlistedInstanceTypes: "yes",
            }),
        messages: [
            `multicloud-platform:sizing.availabilityZoneCount: must be a whole number in range; received 2.5. Allowed: a whole number from 2 to 3. ${fix("sizing.availabilityZoneCount", "3")}`,
            `multicloud-platform:sizing.backupRetentionDays: must be a whole number in range; received -1. Allowed: a whole number from 1 to 35. ${fix("sizing.backupRetentionDays", "7")}`,
            `multicloud-platform:sizing.allowUnlistedInstanceTypes: must be true or false; received "yes". Allowed: true or false. ${fix("sizing.allowUnlistedInstanceTypes", "true")}`,
        ],
    },
];
