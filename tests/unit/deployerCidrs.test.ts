import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deployerCidrProblem } from "../../components/config/deployerCidrs";
import { storageIpRange, storageNetworkRules } from "../../components/plan/storageNetworkRules";

describe("deployerCidrProblem", () => {
    for (const cidr of ["203.0.113.7", "203.0.113.7/32", "198.51.100.0/24", "20.0.0.0/8", "172.32.0.0/16", "192.169.0.0/16"]) {
        it(`takes the public address or block ${cidr}`, () => {
            assert.equal(deployerCidrProblem(cidr), undefined);
        });
    }

    const refused: readonly [string, RegExp][] = [
        ["0.0.0.0/0", /every address there is/],
        ["*", /not an IPv4 address/],
        ["203.0.113.300", /not an IPv4 address/],
        ["2001:db8::1", /not an IPv4 address/],
        ["10.0.0.4", /private range 10\.0\.0\.0\/8/],
        ["172.20.1.0/24", /private range 172\.16\.0\.0\/12/],
        ["192.168.1.10", /private range 192\.168\.0\.0\/16/],
        ["127.0.0.1", /loopback/],
        ["169.254.1.1", /link-local/],
        ["128.0.0.0/1", /a block wider than \/8/],
        ["12.0.0.0/7", /a block wider than \/8/],
        ["203.0.113.6/31", /\/31/],
        ["203.0.113.7/24", /host bits set/],
    ];
    for (const [cidr, why] of refused) {
        it(`refuses ${cidr}`, () => {
            assert.match(deployerCidrProblem(cidr) ?? "", why);
        });
    }
});

describe("storageNetworkRules", () => {
    it("denies by default, lets in every node subnet and the deployer, and keeps trusted Azure services", () => {
        assert.deepEqual(storageNetworkRules(["/subnets/nodes", "/subnets/nodes-zone-2"], ["203.0.113.7/32", "198.51.100.0/24"]), {
            defaultAction: "Deny",
            bypass: "AzureServices",
            virtualNetworkRules: [{ virtualNetworkResourceId: "/subnets/nodes", action: "Allow" }, { virtualNetworkResourceId: "/subnets/nodes-zone-2", action: "Allow" }],
            ipRules: [{ iPAddressOrRange: "203.0.113.7", action: "Allow" }, { iPAddressOrRange: "198.51.100.0/24", action: "Allow" }],
        });
    });

    it("writes a single address as Azure Storage takes it", () => {
        assert.equal(storageIpRange("203.0.113.7/32"), "203.0.113.7");
        assert.equal(storageIpRange("203.0.113.7"), "203.0.113.7");
        assert.equal(storageIpRange("198.51.100.0/24"), "198.51.100.0/24");
    });
});
