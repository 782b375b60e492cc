/** Windows Server 2022 Azure Edition: Gen2 (Trusted Launch) and hotpatch-capable automatic patching. */
export const windowsServerImage = {
    publisher: "MicrosoftWindowsServer",
    offer: "WindowsServer",
    sku: "2022-datacenter-azure-edition",
    version: "latest",
} as const;
