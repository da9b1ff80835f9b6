/** The data domain: re-exports only. */
export * from "./aurora-global-settings";
export * from "./aurora-global";
export * from "./aurora-settings";
export * from "./cloudsql-replica";
export * from "./dynamodb-gcp-backup-settings";
export * from "./dynamodb-gcp-backup";
export * from "./dynamodb-global-settings";
export * from "./dynamodb-global";
export * from "./elasticache-access";
export * from "./elasticache";
export * from "./memorystore";
export * from "./service-aurora-database";
export * from "./service-credentials";
export * from "./service-database-settings";
export * from "./service-rds-instance";
