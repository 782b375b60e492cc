import { computeRules } from "./compute";
import { credentialRules } from "./credentials";
import { keyVaultRules } from "./keyVault";
import { networkRules } from "./network";
import { SecurityRule } from "./securityRule";
import { sqlRules } from "./sql";
import { storageRules } from "./storage";

/** Every rule of the stack's security posture, in the order docs/security.md lists them. */
export const securityRules: readonly SecurityRule[] = [...storageRules, ...sqlRules, ...keyVaultRules, ...computeRules, ...networkRules, ...credentialRules];
