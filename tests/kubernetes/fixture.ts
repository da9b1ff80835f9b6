/** The cluster components' arguments for dev- and prod-style stacks, and one memoized run of each. */
import * as assert from "assert";
import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import { EksCluster, GkeAutopilot, type EksClusterArgs, type GkeAutopilotArgs } from "../../components/kubernetes";
import { one, ofType } from "../../harness/lookup";
import type { RecordedResource } from "../../harness/recorder";
import { runStack, type StackRun } from "../../harness/run";
import { TAGS } from "../policy/fixtures";

export const SECRETS_KEY = "arn:aws:kms:us-east-1:123456789012:key/0000aaaa-secrets";
export const VOLUME_KEY = "arn:aws:kms:us-east-1:123456789012:key/1111bbbb-volumes";
export const GKE_KEY = "projects/acme-dr/locations/us-east4/keyRings/platform-prod/cryptoKeys/kubernetes";
export const ADMIN_ROLE = "arn:aws:iam::123456789012:role/platform-admin";
export const SUBNETS = ["subnet-app-0", "subnet-app-1", "subnet-app-2"];

/** What the dev stack would pass: spot workers, small system group, no deletion protection. */
export const DEV_EKS: EksClusterArgs = {
    vpcId: "vpc-0a1b2c3d",
    privateSubnetIds: SUBNETS,
    secretsKmsKeyArn: SECRETS_KEY,
    nodeVolumeKmsKeyArn: VOLUME_KEY,
    systemNodeInstanceTypes: ["t3.medium"],
    systemNodeMinSize: 1,
    systemNodeMaxSize: 2,
    workloadNodeInstanceTypes: ["t3.large"],
    workloadCapacityType: "SPOT",
    deletionProtection: false,
};
/** What the prod stack would pass: on-demand baseline plus spot, admins, deletion protection. */
export const PROD_EKS: EksClusterArgs = {
    ...DEV_EKS,
    systemNodeInstanceTypes: undefined,
    systemNodeMinSize: undefined,
    systemNodeMaxSize: undefined,
    workloadNodeInstanceTypes: ["m6i.xlarge", "m6a.xlarge"],
    workloadNodeMinSize: 2,
    workloadNodeMaxSize: 10,
    workloadCapacityType: "MIXED",
    adminRoleArns: [ADMIN_ROLE],
    deletionProtection: true,
    apiClientCidrs: ["10.100.0.0/19", "10.104.0.0/14"],
    nodeSecurityGroupIds: ["sg-app"],
};
export const PROD_GKE: GkeAutopilotArgs = {
    project: "acme-dr",
    region: "us-east4",
    network: "projects/acme-dr/global/networks/dr",
    networkName: "dr",
    subnetwork: "projects/acme-dr/regions/us-east4/subnetworks/gke",
    masterIpv4CidrBlock: "172.16.0.0/28",
    masterAuthorizedCidrs: ["10.100.0.0/16", "10.101.0.0/16", "198.51.100.0/24"],
    secretsKmsKeyId: GKE_KEY,
    deletionProtection: true,
};
export const DEV_GKE: GkeAutopilotArgs = { ...PROD_GKE, deletionProtection: false };

export interface ClusterRun {
    readonly run: StackRun;
    readonly eks?: EksCluster;
}

/** A small program with explicit, tagged providers and the two components, under the recording mocks. */
/**
 * `also` adds what a test needs beside the clusters (the mesh's rules on the EKS security group).
 */
export async function runClusters(
    eksArgs: EksClusterArgs,
    gkeArgs?: GkeAutopilotArgs,
    also?: (eks: EksCluster, awsProvider: aws.Provider) => void,
): Promise<ClusterRun> {
    let eks: EksCluster | undefined;
    const run = await runStack({
        stack: "dev",
        program: async () => {
            const awsProvider = new aws.Provider("aws-test", { region: "us-east-1", defaultTags: { tags: TAGS } });
            const gcpProvider = new gcp.Provider("gcp-test", {
                project: "acme-dr",
                region: "us-east4",
                defaultLabels: TAGS,
                addPulumiAttributionLabel: false,
            });
            eks = new EksCluster("eks", eksArgs, { provider: awsProvider });
            if (gkeArgs) new GkeAutopilot("gke", gkeArgs, { provider: gcpProvider });
            also?.(eks, awsProvider);
        },
    });
    return { run, eks };
}

export const memo = <T>(f: () => Promise<T>) => {
    let p: Promise<T> | undefined;
    return () => (p ??= f());
};
export const dev = memo(() => runClusters(DEV_EKS, DEV_GKE));
export const prod = memo(() => runClusters(PROD_EKS, PROD_GKE));

export const resourcesOf = async (which: () => Promise<ClusterRun>) => {
    const { run } = await which();
    assert.strictEqual(run.error, undefined, run.error?.stack);
    return run.resources;
};
export const eksComponentOf = (rs: readonly RecordedResource[]) => one(rs, "eks:index:Cluster", "eks-cluster");
/** Node groups by name: registration order follows output resolution, not the program. */
export const nodeGroupsOf = (rs: readonly RecordedResource[]) =>
    ofType(rs, "aws:eks/nodeGroup:NodeGroup").sort((a, b) => a.name.localeCompare(b.name));
