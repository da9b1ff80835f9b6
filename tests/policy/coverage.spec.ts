/**
 * Encryption coverage: every resource type the dev and prod plans register is classified here, and every
 * type that stores or moves data is judged by at least one encryption policy. A new type in the program
 * fails the first test until someone decides what it is; a new data type fails the second until a policy
 * covers it.
 *
 * "Judged" is observed, not declared: a policy judges a type when, run on a resource of that type with no
 * inputs at all, it reads one of the resource's properties or reports a violation on it.
 */
import * as assert from "assert";
import type { Policy, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { allPolicies } from "../../policy/policies";
import { runPolicies } from "../../harness/policy-runner";
import type { RecordedResource } from "../../harness/recorder";
import { evaluated } from "../../harness/stacks";
import { resource } from "./fixtures";

/** Types that hold or carry application data: each must be judged by an encryption policy. */
const STORES_OR_MOVES_DATA: readonly string[] = [
    "aws:cloudwatch/eventArchive:EventArchive",
    "aws:cloudwatch/eventBus:EventBus",
    "aws:cloudwatch/logGroup:LogGroup",
    "aws:dynamodb/table:Table",
    "aws:ec2/launchTemplate:LaunchTemplate", // the node volumes
    "aws:ec2/vpnConnection:VpnConnection",
    "aws:elasticache/replicationGroup:ReplicationGroup",
    "aws:msk/cluster:Cluster",
    "aws:mskconnect/connector:Connector",
    "aws:rds/cluster:Cluster",
    "aws:rds/clusterInstance:ClusterInstance",
    "aws:rds/globalCluster:GlobalCluster",
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketObjectv2:BucketObjectv2",
    "aws:secretsmanager/secret:Secret",
    "aws:sns/topic:Topic",
    "aws:sqs/queue:Queue",
    "eks:index:Cluster", // etcd: Kubernetes secrets
    "gcp:bigtable/instance:Instance",
    "gcp:compute/vPNTunnel:VPNTunnel",
    "gcp:container/cluster:Cluster",
    "gcp:databasemigrationservice/connectionProfile:ConnectionProfile",
    "gcp:pubsub/topic:Topic",
    "gcp:redis/instance:Instance",
    "gcp:sql/databaseInstance:DatabaseInstance",
    "gcp:storage/bucket:Bucket",
];

/**
 * Types whose data lives inside another resource and is encrypted with that resource's key or channel;
 * the container must itself be a data type above.
 */
const CONTAINED_IN: Readonly<Record<string, readonly string[]>> = {
    "aws:secretsmanager/secretVersion:SecretVersion": ["aws:secretsmanager/secret:Secret"],
    "aws:eks/nodeGroup:NodeGroup": ["aws:ec2/launchTemplate:LaunchTemplate"],
    "gcp:bigtable/table:Table": ["gcp:bigtable/instance:Instance"],
    // A topic's records live on the brokers' volumes, under the cluster's KMS key.
    "aws:msk/topic:Topic": ["aws:msk/cluster:Cluster"],
    // Pub/Sub keeps a subscription's backlog under its topic's CMEK.
    "gcp:pubsub/subscription:Subscription": ["gcp:pubsub/topic:Topic"],
    // Moves rows over the connection its source profile describes.
    "gcp:databasemigrationservice/migrationJob:MigrationJob": [
        "gcp:databasemigrationservice/connectionProfile:ConnectionProfile",
    ],
    // Copies between two buckets over the providers' HTTPS APIs; at rest, each bucket's key applies.
    "gcp:storage/transferJob:TransferJob": ["aws:s3/bucket:Bucket", "gcp:storage/bucket:Bucket"],
    // A CI runner project keeps no artifacts and no cache; the build output is its log, in its log group.
    "aws:codebuild/project:Project": ["aws:cloudwatch/logGroup:LogGroup"],
    // Stored in the clusters' etcd.
    "kubernetes:core/v1:Secret": ["eks:index:Cluster", "gcp:container/cluster:Cluster"],
};

/** Everything else the plans register, by why it holds no data of its own. */
const NO_DATA: Readonly<Record<string, readonly string[]>> = {
    "keys: the encryption itself": [
        "aws:kms/alias:Alias",
        "aws:kms/key:Key",
        "gcp:kms/cryptoKey:CryptoKey",
        "gcp:kms/keyRing:KeyRing",
    ],
    "identity and access": [
        "aws:eks/accessEntry:AccessEntry",
        "aws:iam/role:Role",
        "aws:iam/rolePolicy:RolePolicy",
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        "aws:s3/bucketPolicy:BucketPolicy",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "aws:sqs/queuePolicy:QueuePolicy",
        "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy",
        "gcp:bigtable/tableIamMember:TableIamMember",
        "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember",
        "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember",
        "gcp:projects/iAMMember:IAMMember",
        "gcp:pubsub/topicIAMMember:TopicIAMMember",
        "gcp:serviceaccount/account:Account",
        "gcp:storage/bucketIAMMember:BucketIAMMember",
        "kubernetes:core/v1:ServiceAccount",
        "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
        "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
    ],
    // Traffic inside the networks is mTLS between meshed services; between clouds it rides the VPN above.
    "network plumbing": [
        "awsx:ec2:Vpc",
        "aws:ec2/customerGateway:CustomerGateway",
        "aws:ec2/flowLog:FlowLog", // delivers into a log group, judged above
        "aws:ec2/managedPrefixList:ManagedPrefixList",
        "aws:ec2/route:Route",
        "aws:ec2/securityGroup:SecurityGroup",
        "aws:ec2/vpcEndpoint:VpcEndpoint",
        "aws:ec2transitgateway/transitGateway:TransitGateway",
        "aws:ec2transitgateway/vpcAttachment:VpcAttachment",
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        "gcp:compute/externalVpnGateway:ExternalVpnGateway",
        "gcp:compute/firewall:Firewall",
        "gcp:compute/globalAddress:GlobalAddress",
        "gcp:compute/haVpnGateway:HaVpnGateway",
        "gcp:compute/network:Network",
        "gcp:compute/networkPeeringRoutesConfig:NetworkPeeringRoutesConfig",
        "gcp:compute/router:Router",
        "gcp:compute/routerInterface:RouterInterface",
        "gcp:compute/routerNat:RouterNat",
        "gcp:compute/routerPeer:RouterPeer",
        "gcp:compute/subnetwork:Subnetwork",
        "gcp:servicenetworking/connection:Connection",
    ],
    "settings of a data service": [
        "aws:appautoscaling/policy:Policy",
        "aws:appautoscaling/target:Target",
        "aws:eks/addon:Addon",
        "aws:elasticache/subnetGroup:SubnetGroup",
        "aws:msk/configuration:Configuration",
        "aws:mskconnect/customPlugin:CustomPlugin", // code, from an encrypted bucket object
        "aws:mskconnect/workerConfiguration:WorkerConfiguration",
        "aws:rds/clusterParameterGroup:ClusterParameterGroup",
        "aws:rds/subnetGroup:SubnetGroup",
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketVersioning:BucketVersioning",
    ],
    // Deliveries between AWS services happen inside AWS over TLS; what they deliver lands in judged stores.
    "routing rules": [
        "aws:cloudwatch/eventRule:EventRule",
        "aws:cloudwatch/eventTarget:EventTarget",
        "aws:codebuild/webhook:Webhook", // starts a CI build per queued workflow job; carries no payload onward
        "aws:scheduler/schedule:Schedule", // starts a table export; its input is the table's ARN
        "aws:sns/topicSubscription:TopicSubscription",
    ],
    "Kubernetes configuration": [
        "kubernetes:core/v1:LimitRange",
        "kubernetes:core/v1:Namespace",
        "kubernetes:core/v1:ResourceQuota",
        "kubernetes:helm.sh/v3:Release",
        "kubernetes:networking.istio.io/v1:DestinationRule",
        "kubernetes:networking.istio.io/v1:Gateway",
        "kubernetes:networking.istio.io/v1:VirtualService",
        "kubernetes:networking.k8s.io/v1:NetworkPolicy",
        "kubernetes:security.istio.io/v1:AuthorizationPolicy",
        "kubernetes:security.istio.io/v1:PeerAuthentication",
    ],
    // The catalog's services: read-only root filesystems and a small scratch emptyDir; what they keep is in the
    // stores above.
    "stateless workloads": [
        "kubernetes:apps/v1:Deployment",
        "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
        "kubernetes:core/v1:Service",
        "kubernetes:policy/v1:PodDisruptionBudget",
    ],
    // Generated key material exists only in Pulumi state, as secrets under the stack's secrets provider.
    "Pulumi state only": [
        // The Pub/Sub sink's key: in state as a secret, and in the Secrets Manager secret judged above.
        "gcp:serviceaccount/key:Key",
        "random:index/randomPassword:RandomPassword",
        "tls:index/certRequest:CertRequest",
        "tls:index/locallySignedCert:LocallySignedCert",
        "tls:index/privateKey:PrivateKey",
        "tls:index/selfSignedCert:SelfSignedCert",
    ],
};

type AnyPolicy = Policy & (ResourceValidationPolicy | StackValidationPolicy);
const encryptionPolicies = (allPolicies as AnyPolicy[]).filter((p) => p.tags?.includes("encryption"));

/** Resource types of both plans: cloud resources and multi-language components, not providers or our components. */
async function plannedTypes(): Promise<Set<string>> {
    const types = new Set<string>();
    for (const stack of ["dev", "prod"] as const) {
        for (const r of (await evaluated(stack)).run.resources) {
            if (r.type.startsWith("pulumi:") || r.type.startsWith("multicloud:")) continue;
            if (r.custom || r.remote) types.add(r.type);
        }
    }
    return types;
}

/** The encryption policies that judge a type (see the file header). */
async function judgesOf(type: string): Promise<string[]> {
    const judges: string[] = [];
    for (const policy of encryptionPolicies) {
        const reads: string[] = [];
        const watch = () =>
            new Proxy({} as Record<string, unknown>, {
                get: (t, key) => {
                    if (typeof key === "string") reads.push(key);
                    return t[key as string];
                },
            });
        const r: RecordedResource = { ...resource(type, "probe", {}), inputs: watch(), outputs: watch() };
        const violations = await runPolicies([r], [policy]);
        if (reads.length > 0 || violations.some((v) => v.urn === r.urn)) judges.push(policy.name);
    }
    return judges;
}

describe("encryption coverage", () => {
    it("classifies every resource type of the dev and prod plans exactly once", async () => {
        const classified = [...STORES_OR_MOVES_DATA, ...Object.keys(CONTAINED_IN), ...Object.values(NO_DATA).flat()];
        const twice = classified.filter((t, i) => classified.indexOf(t) !== i);
        assert.deepStrictEqual(twice, [], "classified more than once");
        const planned = await plannedTypes();
        const unclassified = [...planned].filter((t) => !classified.includes(t)).sort();
        assert.deepStrictEqual(
            unclassified,
            [],
            "new resource types: add each to STORES_OR_MOVES_DATA (and give it an encryption policy), CONTAINED_IN or NO_DATA",
        );
        // Stale entries hide nothing, but keep the lists honest about what the platform runs.
        const stale = classified.filter((t) => !planned.has(t));
        assert.deepStrictEqual(stale, [], "classified but no longer planned");
    });

    it("has every type that stores or moves data judged by an encryption policy", async () => {
        const unjudged: string[] = [];
        for (const type of STORES_OR_MOVES_DATA) if ((await judgesOf(type)).length === 0) unjudged.push(type);
        assert.deepStrictEqual(unjudged, [], "data types no encryption policy judges");
    });

    it("has every contained type inside a data type", () => {
        for (const [type, containers] of Object.entries(CONTAINED_IN)) {
            for (const c of containers) assert.ok(STORES_OR_MOVES_DATA.includes(c), `${type} -> ${c}`);
        }
    });

    it("observes judging precisely: the right policies for known types, none for a type nobody covers", async () => {
        assert.deepStrictEqual(await judgesOf("aws:s3/bucket:Bucket"), ["s3-bucket-kms-encrypted"]);
        assert.deepStrictEqual(await judgesOf("gcp:redis/instance:Instance"), [
            "memorystore-cmek",
            "memorystore-encrypted-in-transit",
        ]);
        assert.deepStrictEqual(await judgesOf("gcp:compute/vPNTunnel:VPNTunnel"), ["vpn-strong-ipsec"]);
        assert.deepStrictEqual(await judgesOf("aws:kinesis/stream:Stream"), []);
        assert.deepStrictEqual(await judgesOf("aws:secretsmanager/secretVersion:SecretVersion"), []);
    });
});
