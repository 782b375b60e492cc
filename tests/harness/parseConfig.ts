import assert from "node:assert/strict";
import { ConfigError, ConfigIssue } from "../../components/config/configError";
import { ClusterConfig } from "../../components/config/contract";
import { parseClusterConfig } from "../../components/config/parseClusterConfig";
import { RawConfig } from "../../components/config/configReader";
import { StackFileSecurePaths } from "../../components/config/securePaths";
import { standInConfig } from "../../offline/standIns";

export type ConfigValues = Record<string, unknown>;

/**
 * Raw config as Pulumi hands it over, from plain values; `standInConfig` is there unless a
 * test passes its own value of a key (`undefined` leaves the key out). `securePaths`: where a stack
 * file holds values encrypted; by default no stack file sets the secret keys (each is secret whole).
 */
export function rawConfig(values: ConfigValues, secretKeys: readonly string[] = [], securePaths: StackFileSecurePaths = new Map()): RawConfig {
    const text = Object.fromEntries(Object.entries({ ...standInConfig, ...values })
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]));
    return { values: text, secretKeys: new Set(secretKeys), securePaths };
}

export function parseValues(values: ConfigValues, secretKeys: readonly string[] = [], securePaths?: StackFileSecurePaths): ClusterConfig {
    return parseClusterConfig(rawConfig(values, secretKeys, securePaths), "westeurope");
}

/** The issues a config is refused with; fails the test when it is accepted. */
export function configIssues(values: ConfigValues, secretKeys: readonly string[] = [], securePaths?: StackFileSecurePaths): readonly ConfigIssue[] {
    try {
        parseValues(values, secretKeys, securePaths);
    } catch (error) {
        assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
        return error.issues;
    }
    assert.fail("the config was accepted");
}
