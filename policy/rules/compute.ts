import { at, list, Props, record } from "./props";
import { catalog } from "../../components/catalog";
import { forTypes, SecurityRule, Violations } from "./securityRule";

const vm = [catalog.virtualMachine.token];

export const checkNoPublicIpOnNic = forTypes([catalog.networkInterface.token], (props): Violations =>
    list(props["ipConfigurations"])
        .map(record)
        .filter((configuration) => configuration["publicIPAddress"] !== undefined)
        .map((configuration) => `ipConfigurations ${JSON.stringify(configuration["name"] ?? "")} must not have a publicIPAddress: nodes are reached through the load balancer`));

export const checkTrustedLaunch = forTypes(vm, (props): Violations => {
    const security = record(props["securityProfile"]);
    const violations: string[] = [];
    if (!["TrustedLaunch", "ConfidentialVM"].includes(String(security["securityType"]))) {
        violations.push(`securityProfile.securityType must be TrustedLaunch; got ${JSON.stringify(security["securityType"] ?? null)}`);
    }
    if (at(security, "uefiSettings.secureBootEnabled") !== true) {
        violations.push("securityProfile.uefiSettings.secureBootEnabled must be true");
    }
    if (at(security, "uefiSettings.vTpmEnabled") !== true) {
        violations.push("securityProfile.uefiSettings.vTpmEnabled must be true");
    }
    return violations;
});

export function checkEncryptionAtHost(type: string, props: Props): Violations {
    if (type === catalog.virtualMachine.token) {
        return at(props, "securityProfile.encryptionAtHost") === true ? [] : ["securityProfile.encryptionAtHost must be true"];
    }
    // A Flexible scale set without a VM profile holds no disks of its own; its VMs are checked one by one.
    if (type === catalog.virtualMachineScaleSet.token && props["virtualMachineProfile"] !== undefined) {
        return at(props, "virtualMachineProfile.securityProfile.encryptionAtHost") === true ? [] : ["virtualMachineProfile.securityProfile.encryptionAtHost must be true"];
    }
    return [];
}

export const checkAutomaticPatching = forTypes(vm, (props): Violations => {
    const windows = at(props, "osProfile.windowsConfiguration");
    if (windows === undefined) {
        const linuxMode = at(props, "osProfile.linuxConfiguration.patchSettings.patchMode");
        return at(props, "osProfile.linuxConfiguration") === undefined || linuxMode === "AutomaticByPlatform"
            ? []
            : [`osProfile.linuxConfiguration.patchSettings.patchMode must be AutomaticByPlatform; got ${JSON.stringify(linuxMode ?? null)}`];
    }
    const violations: string[] = [];
    if (record(windows)["enableAutomaticUpdates"] === false) {
        violations.push("osProfile.windowsConfiguration.enableAutomaticUpdates must not be false");
    }
    const mode = at(record(windows), "patchSettings.patchMode");
    if (!["AutomaticByPlatform", "AutomaticByOS"].includes(String(mode))) {
        violations.push(`osProfile.windowsConfiguration.patchSettings.patchMode must be AutomaticByPlatform or AutomaticByOS; got ${JSON.stringify(mode ?? null)}`);
    }
    return violations;
});

export const checkBootDiagnostics = forTypes(vm, (props): Violations =>
    at(props, "diagnosticsProfile.bootDiagnostics.enabled") === true ? [] : ["diagnosticsProfile.bootDiagnostics.enabled must be true"]);

export const computeRules: readonly SecurityRule[] = [
    {
        name: "vm-no-public-ip",
        description: "No network interface has a public IP: nodes are reached through the load balancer and leave through the NAT gateway.",
        resourceTypes: [catalog.networkInterface.token],
        check: checkNoPublicIpOnNic,
        checkov: ["CKV_AZURE_119"],
        benchmark: ["NS-1"],
        remediation: "Remove publicIPAddress from the NIC's IP configurations.",
    },
    {
        name: "vm-trusted-launch",
        description: "VMs run as Trusted Launch with Secure Boot and a vTPM.",
        resourceTypes: vm,
        check: checkTrustedLaunch,
        checkov: [],
        benchmark: ["PV-3"],
        remediation: "Set securityProfile: { securityType: TrustedLaunch, uefiSettings: { secureBootEnabled: true, vTpmEnabled: true } }.",
    },
    {
        name: "vm-encryption-at-host",
        description: "VMs (and scale sets with a VM profile) encrypt temp disks and disk caches on the host.",
        resourceTypes: [catalog.virtualMachine.token, catalog.virtualMachineScaleSet.token],
        check: checkEncryptionAtHost,
        checkov: ["CKV_AZURE_151", "CKV_AZURE_97"],
        benchmark: ["DP-4"],
        remediation: "Set securityProfile.encryptionAtHost: true (register the EncryptionAtHost feature of Microsoft.Compute first).",
    },
    {
        name: "vm-automatic-patching",
        description: "VMs take OS patches automatically (Windows: automatic updates on, patch mode AutomaticByPlatform or AutomaticByOS).",
        resourceTypes: vm,
        check: checkAutomaticPatching,
        checkov: ["CKV_AZURE_177"],
        benchmark: ["PV-6"],
        remediation: "Set osProfile.windowsConfiguration: { enableAutomaticUpdates: true, patchSettings: { patchMode: AutomaticByPlatform } }.",
    },
    {
        name: "vm-boot-diagnostics",
        description: "VMs keep boot diagnostics (serial log and screenshot) for investigation.",
        resourceTypes: vm,
        check: checkBootDiagnostics,
        checkov: [],
        benchmark: ["LT-3"],
        remediation: "Set diagnosticsProfile.bootDiagnostics.enabled: true.",
    },
];
