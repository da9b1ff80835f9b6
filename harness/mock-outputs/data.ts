/**
 * Outputs of the data layer's resources as the clouds report them: endpoints the DMS source profile and
 * secrets are built from, names the transfer and migration jobs reference, ARNs the IAM policies name.
 */
import type { MockCallArgs } from "@pulumi/pulumi/runtime/mocks";
import { MOCK_AWS_ACCOUNT, MOCK_GCP_PROJECT_NUMBER, type Computed, type MockContext } from "../mocks";

/** The provider-chosen suffix of an auto-named resource. */
const suffix = (ctx: MockContext) => ctx.id.slice(-6);
const rdsArn = (ctx: MockContext, kind: string, id: string) =>
    `arn:aws:rds:${ctx.region}:${MOCK_AWS_ACCOUNT}:${kind}:${id}`;
const gcpProject = (ctx: MockContext) => ctx.inputs.project ?? ctx.project;

export const outputs: Record<string, Computed> = {
    "aws:rds/globalCluster:GlobalCluster": (ctx) => ({
        id: ctx.inputs.globalClusterIdentifier,
        arn: `arn:aws:rds::${MOCK_AWS_ACCOUNT}:global-cluster:${ctx.inputs.globalClusterIdentifier}`,
    }),
    "aws:rds/cluster:Cluster": (ctx) => {
        const id = ctx.inputs.clusterIdentifier ?? `${ctx.name}-${suffix(ctx)}`;
        return {
            id,
            clusterIdentifier: id,
            arn: rdsArn(ctx, "cluster", id),
            clusterResourceId: `cluster-${suffix(ctx).toUpperCase()}MOCK`,
            endpoint: `${id}.cluster-c0mock.${ctx.region}.rds.amazonaws.com`,
            readerEndpoint: `${id}.cluster-ro-c0mock.${ctx.region}.rds.amazonaws.com`,
            port: ctx.inputs.port ?? 5432,
        };
    },
    "aws:rds/clusterInstance:ClusterInstance": (ctx) => {
        const id = ctx.inputs.identifier ?? `${ctx.name}-${suffix(ctx)}`;
        return { id, identifier: id, arn: rdsArn(ctx, "db", id) };
    },
    "aws:rds/instance:Instance": (ctx) => {
        const id = ctx.inputs.identifier ?? `${ctx.name}-${suffix(ctx)}`;
        const address = `${id}.c0mock.${ctx.region}.rds.amazonaws.com`;
        const port = ctx.inputs.port ?? (ctx.inputs.engine === "mysql" ? 3306 : 5432);
        return {
            id,
            identifier: id,
            arn: rdsArn(ctx, "db", id),
            resourceId: `db-${suffix(ctx).toUpperCase()}MOCK`,
            address,
            endpoint: `${address}:${port}`,
            port,
        };
    },
    "aws:rds/parameterGroup:ParameterGroup": (ctx) => {
        const name = ctx.inputs.name ?? `${ctx.name}-${suffix(ctx)}`;
        return { id: name, name, arn: rdsArn(ctx, "pg", name) };
    },
    "aws:elasticache/user:User": (ctx) => ({
        id: ctx.inputs.userId,
        arn: `arn:aws:elasticache:${ctx.region}:${MOCK_AWS_ACCOUNT}:user:${ctx.inputs.userId}`,
    }),
    "aws:elasticache/userGroup:UserGroup": (ctx) => ({
        id: ctx.inputs.userGroupId,
        arn: `arn:aws:elasticache:${ctx.region}:${MOCK_AWS_ACCOUNT}:usergroup:${ctx.inputs.userGroupId}`,
    }),
    "aws:rds/clusterParameterGroup:ClusterParameterGroup": (ctx) => {
        const name = ctx.inputs.name ?? `${ctx.name}-${suffix(ctx)}`;
        return { id: name, name, arn: rdsArn(ctx, "cluster-pg", name) };
    },
    "aws:dynamodb/table:Table": (ctx) => {
        const name = ctx.inputs.name ?? `${ctx.name}-${suffix(ctx)}`;
        const arn = `arn:aws:dynamodb:${ctx.region}:${MOCK_AWS_ACCOUNT}:table/${name}`;
        return { id: name, name, arn, streamArn: `${arn}/stream/2026-01-01T00:00:00.000` };
    },
    "aws:elasticache/replicationGroup:ReplicationGroup": (ctx) => {
        const id = ctx.inputs.replicationGroupId ?? `${ctx.name}-${suffix(ctx)}`;
        const host = `${id}.c0mock.${ctx.region}.cache.amazonaws.com`;
        return {
            id,
            arn: `arn:aws:elasticache:${ctx.region}:${MOCK_AWS_ACCOUNT}:replicationgroup:${id}`,
            primaryEndpointAddress: `master.${host}`,
            readerEndpointAddress: `replica.${host}`,
            port: ctx.inputs.port ?? 6379,
        };
    },
    "gcp:sql/databaseInstance:DatabaseInstance": (ctx) => {
        const name = ctx.inputs.name ?? `${ctx.name}-${suffix(ctx)}`;
        return {
            id: name,
            name,
            connectionName: `${gcpProject(ctx)}:${ctx.inputs.region ?? ctx.region}:${name}`,
            privateIpAddress: "10.109.0.3",
        };
    },
    "gcp:redis/instance:Instance": (ctx) => {
        const name = ctx.inputs.name ?? `${ctx.name}-${suffix(ctx)}`;
        const tls = ctx.inputs.transitEncryptionMode === "SERVER_AUTHENTICATION";
        return {
            id: `projects/${gcpProject(ctx)}/locations/${ctx.inputs.region ?? ctx.region}/instances/${name}`,
            name,
            host: "10.109.1.4",
            // Memorystore serves TLS on 6378.
            port: tls ? 6378 : 6379,
            ...(ctx.inputs.authEnabled ? { authString: `mock-auth-${ctx.id}` } : {}),
            ...(tls
                ? { serverCaCerts: [{ cert: `-----BEGIN CERTIFICATE-----\n${ctx.id}\n-----END CERTIFICATE-----\n` }] }
                : {}),
        };
    },
    "gcp:databasemigrationservice/connectionProfile:ConnectionProfile": (ctx) => {
        const name = `projects/${gcpProject(ctx)}/locations/${ctx.inputs.location}/connectionProfiles/${ctx.inputs.connectionProfileId}`;
        return { id: name, name };
    },
    "gcp:databasemigrationservice/migrationJob:MigrationJob": (ctx) => {
        const name = `projects/${gcpProject(ctx)}/locations/${ctx.inputs.location}/migrationJobs/${ctx.inputs.migrationJobId}`;
        return { id: name, name, state: ctx.inputs.desiredState === "RUNNING" ? "RUNNING" : "NOT_STARTED" };
    },
    "gcp:storage/transferJob:TransferJob": (ctx) => {
        const name = ctx.inputs.name ?? `transferJobs/${suffix(ctx)}`;
        return { id: name, name };
    },
    "gcp:bigtable/instance:Instance": (ctx) => {
        const name = ctx.inputs.name ?? `${ctx.name}-${suffix(ctx)}`;
        return { id: `projects/${gcpProject(ctx)}/instances/${name}`, name };
    },
    "gcp:bigtable/table:Table": (ctx) => {
        const name = ctx.inputs.name ?? `${ctx.name}-${suffix(ctx)}`;
        return { id: `projects/${gcpProject(ctx)}/instances/${ctx.inputs.instanceName}/tables/${name}`, name };
    },
};

/** Subject id of the Storage Transfer Service account: a Google numeric id, fixed so tests can name it. */
export const MOCK_TRANSFER_SUBJECT_ID = "112233445566778899001";

export const invokes: Record<string, (args: MockCallArgs, region: string, project: string) => Record<string, any>> = {
    "gcp:storage/getTransferProjectServiceAccount:getTransferProjectServiceAccount": (args, _r, project) => {
        const email = `project-${MOCK_GCP_PROJECT_NUMBER}@storage-transfer-service.iam.gserviceaccount.com`;
        return {
            id: email,
            email,
            member: `serviceAccount:${email}`,
            project: args.inputs.project ?? project,
            subjectId: MOCK_TRANSFER_SUBJECT_ID,
        };
    },
};
