import * as postgresql from "@pulumi/postgresql";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { isProtected, recoveryWindowDays } from "../shared/protection";
import { POSTGRES_PORT } from "./aurora-settings";
import { serviceCredentials, type GcpSecretCopyArgs } from "./service-credentials";
import {
    RDS_PASSWORD_SPECIALS,
    recoveryWindowProblems,
    SERVICE_PASSWORD_LENGTH,
    serviceDatabaseNames,
    serviceNameProblems,
} from "./service-database-settings";

export interface ServiceAuroraDatabaseArgs {
    /** The catalog service. Its database is named after it, its login `<service>_app` ('-' becomes '_'). */
    readonly service: string;
    /** Stack-unique name of the service's store, e.g. `platform-prod-user`: the GCP secret is `<identifier>-db-credentials`. */
    readonly identifier: string;
    /** Writer endpoint of the shared Aurora cluster (`AuroraGlobal.writerEndpoint`). */
    readonly host: pulumi.Input<string>;
    /** Port of the cluster. @default 5432 */
    readonly port?: pulumi.Input<number>;
    /** Customer-managed key (ARN) of the primary region's `database` purpose: the Secrets Manager secret. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** The GCP Secret Manager copy of the credentials. */
    readonly gcp: GcpSecretCopyArgs;
    /**
     * PostgreSQL provider connected to the cluster as its master user. Only with one are the role and the
     * database created: the writer is private, so only a run inside the VPC reaches it. @default none
     */
    readonly sqlProvider?: postgresql.Provider;
    /** Generation of the login's password; raising it generates a new one. @default 1 */
    readonly passwordVersion?: number;
    /** Days a deleted Secrets Manager secret stays recoverable, 7 to 30. @default 30 when protected, else 7 */
    readonly recoveryWindowDays?: number;
    /** Pulumi `protect` on the role, the database and the secrets. @default true */
    readonly protect?: boolean;
}

/**
 * A catalog service's logical database on the shared Aurora PostgreSQL cluster, with a login role of its
 * own that owns it: the generated password is kept in Secrets Manager (database key) and copied to GCP
 * Secret Manager (CMEK, the DR region), both as JSON `{ engine, host, port, dbname, username, password }`.
 * CONNECT on the database is revoked from PUBLIC, so other services' roles cannot open it. Needs an `aws`,
 * a `gcp` and a `random` provider; the role and database need `sqlProvider`.
 */
export class ServiceAuroraDatabase extends pulumi.ComponentResource {
    /** Name of the logical database. */
    public readonly databaseName: string;
    /** Name of the service's login role. */
    public readonly roleName: string;
    /** Writer endpoint the credentials name. */
    public readonly address: pulumi.Output<string>;
    public readonly port: pulumi.Output<number>;
    /** ARN of the Secrets Manager secret with the credentials. */
    public readonly credentialsSecretArn: pulumi.Output<string>;
    /** Id (`projects/<p>/secrets/<id>`) of the GCP Secret Manager copy. */
    public readonly gcpSecretId: pulumi.Output<string>;
    /** The role and the database, when a `sqlProvider` was given. */
    public readonly role?: postgresql.Role;
    public readonly database?: postgresql.Database;

    constructor(name: string, args: ServiceAuroraDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:data:ServiceAuroraDatabase", name, {}, opts);
        const protect = isProtected(args.protect);
        const windowDays = args.recoveryWindowDays ?? recoveryWindowDays(protect);
        const passwordVersion = args.passwordVersion ?? 1;
        validateServiceAuroraDatabaseArgs(name, { service: args.service, windowDays, passwordVersion });
        const names = serviceDatabaseNames(args.service);
        this.databaseName = names.database;
        this.roleName = names.role;
        this.address = pulumi.output(args.host);
        this.port = pulumi.output(args.port ?? POSTGRES_PORT);

        const generated = new random.RandomPassword(
            `${name}-password`,
            {
                length: SERVICE_PASSWORD_LENGTH,
                overrideSpecial: RDS_PASSWORD_SPECIALS,
                minLower: 1,
                minUpper: 1,
                minNumeric: 1,
                keepers: { version: String(passwordVersion) },
            },
            { parent: this },
        );
        // Explicitly secret, wherever it goes, whatever the engine knows about the random provider's outputs.
        const password = pulumi.secret(generated.result);

        if (args.sqlProvider) {
            const sql = { parent: this, provider: args.sqlProvider };
            this.role = new postgresql.Role(
                `${name}-role`,
                { name: names.role, login: true, password },
                { ...sql, protect },
            );
            this.database = new postgresql.Database(
                `${name}-database`,
                { name: names.database, owner: this.role.name },
                { ...sql, protect },
            );
            // An empty privilege list revokes everything PUBLIC has on the database: CONNECT and TEMPORARY.
            new postgresql.Grant(
                `${name}-revoke-public`,
                { database: this.database.name, role: "public", objectType: "database", privileges: [] },
                sql,
            );
        }

        const credentials = serviceCredentials(
            name,
            {
                description: `${args.identifier}: login ${names.role} and database ${names.database} on the shared Aurora cluster`,
                gcpSecretId: `${args.identifier}-db-credentials`,
                secretString: pulumi.jsonStringify({
                    engine: "postgres",
                    host: this.address,
                    port: this.port,
                    dbname: names.database,
                    username: names.role,
                    password,
                }),
                kmsKeyArn: args.kmsKeyArn,
                recoveryWindowDays: windowDays,
                gcp: args.gcp,
                protect,
            },
            this,
        );
        this.credentialsSecretArn = credentials.secret.arn;
        this.gcpSecretId = credentials.gcpSecret.id;

        this.registerOutputs({
            address: this.address,
            port: this.port,
            credentialsSecretArn: this.credentialsSecretArn,
            gcpSecretId: this.gcpSecretId,
        });
    }
}

/** Throws one error listing every invalid argument. */
export function validateServiceAuroraDatabaseArgs(
    name: string,
    a: { service: string; windowDays: number; passwordVersion: number },
): void {
    const problems = [...serviceNameProblems(a.service), ...recoveryWindowProblems(a.windowDays)];
    if (!Number.isInteger(a.passwordVersion) || a.passwordVersion < 1) {
        problems.push(`passwordVersion must be a whole number of at least 1; received ${a.passwordVersion}`);
    }
    if (problems.length > 0) throw new Error(`ServiceAuroraDatabase ${name}: ${problems.join("; ")}`);
}
