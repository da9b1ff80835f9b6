/** Every data-layer policy, in the pack's order: at rest, in transit, durability. */
import {
    auroraPostgresForceSsl,
    cloudsqlSslRequired,
    dmsSourceSsl,
    elasticacheEncryptedInTransit,
    memorystoreEncryptedInTransit,
} from "./in-transit";
import {
    bigtableCmek,
    cloudsqlCmek,
    dynamodbEncryptedAtRest,
    elasticacheEncryptedAtRest,
    gcsBucketCmek,
    memorystoreCmek,
    rdsEncryptedAtRest,
    secretManagerCmek,
    secretsmanagerSecretCmk,
} from "./at-rest";
import { s3BucketKmsEncrypted } from "./at-rest-s3";
import { dataBackupsEnabled, dataDeletionProtection, statefulResourcesProtected } from "./durability";

/** Every data-layer policy, for the pack's list. */
export const dataPolicies = [
    rdsEncryptedAtRest,
    dynamodbEncryptedAtRest,
    elasticacheEncryptedAtRest,
    s3BucketKmsEncrypted,
    secretsmanagerSecretCmk,
    cloudsqlCmek,
    secretManagerCmek,
    memorystoreCmek,
    bigtableCmek,
    gcsBucketCmek,
    elasticacheEncryptedInTransit,
    memorystoreEncryptedInTransit,
    cloudsqlSslRequired,
    auroraPostgresForceSsl,
    dmsSourceSsl,
    dataDeletionProtection,
    dataBackupsEnabled,
    statefulResourcesProtected,
];
