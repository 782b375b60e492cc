# Stand-ins for the cmdlets the agent's Windows PowerShell scripts call, loaded into a PowerShell 7 runspace
# (Microsoft.PowerShell.SDK) before the agent's own rendered script runs. Each carries the REAL cmdlet's parameters
# (names, types, mandatory, position) for the parameters the agent may use, so a misspelt, missing or mistyped
# parameter fails exactly as on the node; each records its call in $global:StandInCalls and answers from
# $global:StandIn (a table the test fills in).
# Sources of the signatures:
# - Mendix Service Console cmdlets: Service Console 4.7.1 binaries (Mendix.Service.Commands.dll; MSI in
#   mendix-pea-repos/deploy-vm-windows-quickstart) and mendix/docs,
#   content/en/docs/deployment/on-premises-design/ms-windows/automate-mendix-deployment-on-microsoft-windows.md:
#   New-MxApp -Name (mandatory) -Credential PSCredential (mandatory) [-DisplayName] [-Description] [-StartupType];
#   Start-MxApp [-Name] [-SynchronizeDatabase]; Stop-MxApp [-Name]; Update-MxApp -LiteralPath -Name;
#   Install-MxServer -LiteralPath; Get-MxApp -Name. Apps are also selected by the pipeline or -All.
# - Microsoft Learn, learn.microsoft.com/powershell/module/...:
#   microsoft.powershell.localaccounts/new-localuser, get-localuser, set-localuser;
#   microsoft.powershell.security/get-acl, set-acl, convertto-securestring;
#   microsoft.powershell.management/get-service, start-process, get-itemproperty; microsoft.powershell.utility/start-sleep;
#   servermanager/install-windowsfeature, get-windowsfeature;
#   storage/get-physicaldisk, get-disk, get-partition, get-volume, set-disk, initialize-disk, new-partition, format-volume,
#   update-hoststoragecache, get-partitionsupportedsize, resize-partition;
#   webadministration/get-webconfigurationproperty, set-webconfigurationproperty, add-webconfigurationproperty,
#   get-webbinding, get-websitestate, start-website, remove-website, new-website, get-website, new-webbinding.

$global:StandInCalls = New-Object System.Collections.ArrayList
if ($null -eq $global:StandIn) { $global:StandIn = @{} }

function Register-StandInCall([string]$Command, [hashtable]$Bound) {
    $parameters = @{}
    foreach ($key in $Bound.Keys) {
        $value = $Bound[$key]
        if ($value -is [System.Management.Automation.PSCredential]) { $parameters[$key] = 'PSCredential:' + $value.UserName }
        elseif ($value -is [System.Security.SecureString]) { $parameters[$key] = 'SecureString' }
        elseif ($value -is [System.Management.Automation.SwitchParameter]) { $parameters[$key] = [string][bool]$value }
        elseif ($value -is [hashtable]) { $parameters[$key] = ($value.Keys | Sort-Object | ForEach-Object { $_ + '=' + $value[$_] }) -join ';' }
        elseif ($value -is [array]) { $parameters[$key] = ($value | ForEach-Object { [string]$_ }) -join ',' }
        else { $parameters[$key] = [string]$value }
    }
    $null = $global:StandInCalls.Add([pscustomobject]@{ Command = $Command; Parameters = $parameters })
}

function Get-StandInApp([string]$Name) {
    if ($null -eq $global:StandIn.Apps) { $global:StandIn.Apps = @{} }
    return $global:StandIn.Apps[$Name]
}

# --- Microsoft.PowerShell.Core / Utility shims -------------------------------------------------------------------
function Import-Module {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0)][string[]]$Name, [switch]$Force)
    Register-StandInCall 'Import-Module' $PSBoundParameters
}

function Add-Type {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][string[]]$Path)
    Register-StandInCall 'Add-Type' $PSBoundParameters
}

function Start-Sleep {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0)][double]$Seconds)
    Register-StandInCall 'Start-Sleep' $PSBoundParameters
}

# System.Security.AccessControl is Windows-only; everything else is the real New-Object.
function New-Object {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0)][string]$TypeName, [Parameter(Position = 1)][object[]]$ArgumentList)
    if ($TypeName -like 'System.Security.AccessControl.*' -or $TypeName -eq 'System.Security.Principal.SecurityIdentifier') {
        Register-StandInCall 'New-Object' $PSBoundParameters
        $object = [pscustomobject]@{ TypeName = $TypeName; Arguments = @($ArgumentList); Rules = (New-Object System.Collections.ArrayList); Protected = $false; Access = @() }
        $object | Add-Member -MemberType ScriptMethod -Name SetAccessRuleProtection -Value { param($isProtected, $preserve) $this.Protected = $isProtected }
        $object | Add-Member -MemberType ScriptMethod -Name AddAccessRule -Value { param($rule) $null = $this.Rules.Add($rule) }
        return $object
    }
    if ($PSBoundParameters.ContainsKey('ArgumentList')) { return Microsoft.PowerShell.Utility\New-Object -TypeName $TypeName -ArgumentList $ArgumentList }
    return Microsoft.PowerShell.Utility\New-Object -TypeName $TypeName
}

# --- Mendix Service Console ---------------------------------------------------------------------------------------
function Get-MxApp {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string[]]$Name, [switch]$All)
    Register-StandInCall 'Get-MxApp' $PSBoundParameters
    foreach ($app in $Name) { if ($null -ne (Get-StandInApp $app)) { [pscustomobject]@{ Name = $app } } }
}

function New-MxApp {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$Name,
        [Parameter(Mandatory = $true)][System.Management.Automation.PSCredential]$Credential,
        [string]$DisplayName,
        [string]$Description,
        [string]$StartupType)  # ServiceStartMode on Windows
    Register-StandInCall 'New-MxApp' $PSBoundParameters
    if ($null -ne (Get-StandInApp $Name)) { throw "App '$Name' already exists." }
    $global:StandIn.Apps[$Name] = 'Stopped'
}

function Start-MxApp {
    [CmdletBinding()]
    param([Parameter(Position = 0, ValueFromPipeline = $true)][string[]]$Name, [switch]$All, [switch]$SynchronizeDatabase)
    Register-StandInCall 'Start-MxApp' $PSBoundParameters
    foreach ($app in $Name) { $global:StandIn.Apps[$app] = 'Running' }
}

function Stop-MxApp {
    [CmdletBinding()]
    param([Parameter(Position = 0, ValueFromPipeline = $true)][string[]]$Name, [switch]$All)
    Register-StandInCall 'Stop-MxApp' $PSBoundParameters
    foreach ($app in $Name) {
        if ($global:StandIn.StopTimesOut) {
            $global:StandIn.Apps[$app] = 'StopPending'
            throw (New-Object System.TimeoutException -ArgumentList "Time-out has expired and the operation has not been completed.")
        }
        $global:StandIn.Apps[$app] = 'Stopped'
    }
}

function Update-MxApp {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][string]$LiteralPath, [Parameter(Position = 0)][string[]]$Name, [switch]$All)
    Register-StandInCall 'Update-MxApp' $PSBoundParameters
}

function Install-MxServer {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][string]$LiteralPath)
    Register-StandInCall 'Install-MxServer' $PSBoundParameters
}

# --- Microsoft.PowerShell.Management ------------------------------------------------------------------------------
function Get-Service {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string[]]$Name)
    Register-StandInCall 'Get-Service' $PSBoundParameters
    foreach ($service in $Name) {
        $status = Get-StandInApp $service
        if ($status -eq 'StopPending' -and $global:StandIn.StoppedAfterPolls -gt 0) {
            $global:StandIn.StoppedAfterPolls--
            if ($global:StandIn.StoppedAfterPolls -eq 0) { $global:StandIn.Apps[$service] = 'Stopped'; $status = 'Stopped' }
        }
        if ($null -eq $status) { Write-Error "Cannot find any service with service name '$service'." }
        else { [pscustomobject]@{ Name = $service; Status = $status } }
    }
}

function Start-Process {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0)][string]$FilePath, [Parameter(Position = 1)][string[]]$ArgumentList, [switch]$Wait, [switch]$PassThru)
    Register-StandInCall 'Start-Process' $PSBoundParameters
    $code = 0
    if ($null -ne $global:StandIn.ExitCodes -and $global:StandIn.ExitCodes.Count -gt 0) { $code = $global:StandIn.ExitCodes[0]; $global:StandIn.ExitCodes = @($global:StandIn.ExitCodes | Select-Object -Skip 1) }
    [pscustomobject]@{ ExitCode = $code }
}

function Get-ItemProperty {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0)][string[]]$Path, [Parameter(Position = 1)][string[]]$Name)
    Register-StandInCall 'Get-ItemProperty' $PSBoundParameters
    if ($null -ne $global:StandIn.Uninstall) { $global:StandIn.Uninstall | ForEach-Object { [pscustomobject]$_ } }
}

# --- Microsoft.PowerShell.Security ----------------------------------------------------------------------------------
function Get-Acl {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string[]]$Path, [string[]]$LiteralPath)
    Register-StandInCall 'Get-Acl' $PSBoundParameters
    $object = [pscustomobject]@{ Access = @($global:StandIn.Access | ForEach-Object { [pscustomobject]$_ }); Rules = (New-Object System.Collections.ArrayList) }
    $object | Add-Member -MemberType ScriptMethod -Name AddAccessRule -Value { param($rule) $null = $this.Rules.Add($rule) }
    return $object
}

function Set-Acl {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string[]]$Path, [string[]]$LiteralPath, [Parameter(Mandatory = $true, Position = 1)][object]$AclObject)
    $PSBoundParameters['AclObject'] = ($AclObject.Rules | ForEach-Object { ($_.Arguments | ForEach-Object { if ($_ -isnot [string] -and $null -ne $_.PSObject.Properties['Arguments']) { 'SID:' + $_.Arguments[0] } else { [string]$_ } }) -join '|' }) -join ';'
    if ($AclObject.Protected) { $PSBoundParameters['AclObject'] = 'protected;' + $PSBoundParameters['AclObject'] }
    Register-StandInCall 'Set-Acl' $PSBoundParameters
}

# --- Microsoft.PowerShell.LocalAccounts -----------------------------------------------------------------------------
function Get-LocalUser {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string[]]$Name)
    Register-StandInCall 'Get-LocalUser' $PSBoundParameters
    foreach ($user in $Name) {
        if ($null -ne $global:StandIn.Users -and $global:StandIn.Users -contains $user) { [pscustomobject]@{ Name = $user; Enabled = $true } }
        else { Write-Error "User $user was not found." }
    }
}

function New-LocalUser {
    [CmdletBinding(DefaultParameterSetName = 'Password')]
    param(
        [Parameter(Mandatory = $true, Position = 0)][ValidateLength(1, 20)][string]$Name,
        [Parameter(Mandatory = $true, ParameterSetName = 'Password')][System.Security.SecureString]$Password,
        [Parameter(ParameterSetName = 'NoPassword')][switch]$NoPassword,
        [datetime]$AccountExpires,
        [switch]$AccountNeverExpires,
        [ValidateLength(0, 48)][string]$Description,
        [switch]$Disabled,
        [string]$FullName,
        [Parameter(ParameterSetName = 'Password')][switch]$PasswordNeverExpires,
        [switch]$UserMayNotChangePassword)
    Register-StandInCall 'New-LocalUser' $PSBoundParameters
    $global:StandIn.Users = @($global:StandIn.Users) + $Name
    [pscustomobject]@{ Name = $Name; Enabled = $true }
}

function Set-LocalUser {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0)][string]$Name, [System.Security.SecureString]$Password, [switch]$PasswordNeverExpires, [string]$Description)
    Register-StandInCall 'Set-LocalUser' $PSBoundParameters
}

# --- ServerManager ----------------------------------------------------------------------------------------------------
function Get-WindowsFeature {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string[]]$Name)
    Register-StandInCall 'Get-WindowsFeature' $PSBoundParameters
    foreach ($feature in $Name) { [pscustomobject]@{ Name = $feature; Installed = ($global:StandIn.Features -contains $feature) } }
}

function Install-WindowsFeature {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0)][string[]]$Name, [switch]$IncludeManagementTools, [switch]$IncludeAllSubFeature, [switch]$Restart, [string]$Source)
    Register-StandInCall 'Install-WindowsFeature' $PSBoundParameters
    [pscustomobject]@{ Success = $true; RestartNeeded = 'No'; ExitCode = 'Success' }
}

# --- Storage ------------------------------------------------------------------------------------------------------------
function Get-PhysicalDisk { [CmdletBinding()] param([string]$DeviceNumber) Register-StandInCall 'Get-PhysicalDisk' $PSBoundParameters; $global:StandIn.PhysicalDisks | ForEach-Object { [pscustomobject]$_ } }
function Get-Disk { [CmdletBinding()] param([Parameter(Position = 0)][uint32[]]$Number) Register-StandInCall 'Get-Disk' $PSBoundParameters; $global:StandIn.Disks | Where-Object { $Number -contains $_.Number } | ForEach-Object { [pscustomobject]$_ } }
function Get-Partition {
    [CmdletBinding()]
    param([Parameter(Position = 0)][uint32[]]$DiskNumber, [char[]]$DriveLetter)
    Register-StandInCall 'Get-Partition' $PSBoundParameters
    foreach ($letter in $DriveLetter) {
        $volume = Get-StandInVolume $letter
        if ($null -ne $volume) { [pscustomobject]@{ DiskNumber = $volume.DiskNumber; PartitionNumber = $volume.PartitionNumber; DriveLetter = $letter; Size = [uint64]$volume.Size } }
    }
}

# A volume the stand-ins know, by drive letter, from $global:StandIn.Volumes: @{ M = @{ DiskNumber; PartitionNumber; Size; SizeMax;
# GrownTo } }. SizeMax is the largest size Windows sees the partition can take; GrownTo, the disk's size after Azure grew it, which
# Windows sees only after a rescan (Update-HostStorageCache). A letter no volume has is refused as Get-Partition refuses it.
function Get-StandInVolume([char]$Letter) {
    $volume = $null
    if ($null -ne $global:StandIn.Volumes) { $volume = $global:StandIn.Volumes[[string]$Letter] }
    if ($null -eq $volume) { Write-Error "No MSFT_Partition objects found with property 'DriveLetter' equal to '$Letter'. Verify the value of the property and retry." }
    return $volume
}

function Update-HostStorageCache {
    [CmdletBinding()]
    param([object[]]$CimSession, [int]$ThrottleLimit, [switch]$AsJob)
    Register-StandInCall 'Update-HostStorageCache' $PSBoundParameters
    if ($null -ne $global:StandIn.Volumes) {
        foreach ($volume in $global:StandIn.Volumes.Values) { if ($null -ne $volume.GrownTo) { $volume.SizeMax = $volume.GrownTo } }
    }
}

function Get-PartitionSupportedSize {
    [CmdletBinding(DefaultParameterSetName = 'ByUniqueId')]
    param(
        [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'ByNumber')][uint32[]]$DiskNumber,
        [Parameter(Position = 1, ParameterSetName = 'ByNumber')][Alias('Number')][uint32[]]$PartitionNumber,
        [Parameter(Mandatory = $true, ParameterSetName = 'ByDriveLetter')][char[]]$DriveLetter,
        [object[]]$CimSession, [int]$ThrottleLimit, [switch]$AsJob)
    Register-StandInCall 'Get-PartitionSupportedSize' $PSBoundParameters
    foreach ($letter in $DriveLetter) {
        $volume = Get-StandInVolume $letter
        if ($null -ne $volume) { [pscustomobject]@{ SizeMin = [uint64]1MB; SizeMax = [uint64]$volume.SizeMax } }
    }
}

# Windows grows a partition by whole extents: it refuses the size it already has ("The partition is already the requested
# size") and a growth under 1 MB ("The size of the extent is less than the minimum of 1MB"), and any size past SizeMax.
function Resize-Partition {
    [CmdletBinding(DefaultParameterSetName = 'ByUniqueId', SupportsShouldProcess = $true)]
    param(
        [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'ByNumber')][uint32[]]$DiskNumber,
        [Parameter(Mandatory = $true, Position = 1, ParameterSetName = 'ByNumber')][Alias('Number')][uint32[]]$PartitionNumber,
        [Parameter(Mandatory = $true, ParameterSetName = 'ByDriveLetter')][char[]]$DriveLetter,
        [Parameter(Mandatory = $true, Position = 2, ParameterSetName = 'ByNumber')]
        [Parameter(Mandatory = $true, Position = 2, ParameterSetName = 'ByDriveLetter')][uint64]$Size,
        [object[]]$CimSession, [int]$ThrottleLimit, [switch]$AsJob, [switch]$PassThru)
    Register-StandInCall 'Resize-Partition' $PSBoundParameters
    foreach ($letter in $DriveLetter) {
        $volume = Get-StandInVolume $letter
        if ($null -eq $volume) { continue }
        if ($Size -eq [uint64]$volume.Size) { throw "Size Not Supported. Extended information: The partition is already the requested size." }
        if ($Size -gt [uint64]$volume.SizeMax) { throw "Size Not Supported. The requested size is larger than the partition can take ($($volume.SizeMax) bytes)." }
        if ($Size -gt [uint64]$volume.Size -and $Size -lt [uint64]$volume.Size + 1MB) { throw "The size of the extent is less than the minimum of 1MB." }
        $volume.Size = $Size
        if ($PassThru) { [pscustomobject]@{ DriveLetter = $letter; Size = $Size } }
    }
}
function Get-Volume { [CmdletBinding()] param([Parameter(ValueFromPipeline = $true)][object]$Partition, [char[]]$DriveLetter) process { Register-StandInCall 'Get-Volume' $PSBoundParameters } }
function Set-Disk { [CmdletBinding()] param([Parameter(Mandatory = $true)][uint32]$Number, [bool]$IsOffline, [bool]$IsReadOnly) Register-StandInCall 'Set-Disk' $PSBoundParameters }
function Initialize-Disk { [CmdletBinding()] param([Parameter(Mandatory = $true, Position = 0)][uint32[]]$Number, [ValidateSet('MBR', 'GPT')][string]$PartitionStyle) Register-StandInCall 'Initialize-Disk' $PSBoundParameters }
function New-Partition {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0)][uint32]$DiskNumber, [switch]$UseMaximumSize, [uint64]$Size, [char]$DriveLetter, [switch]$AssignDriveLetter)
    Register-StandInCall 'New-Partition' $PSBoundParameters
    [pscustomobject]@{ DiskNumber = $DiskNumber; DriveLetter = $DriveLetter }
}
function Format-Volume {
    [CmdletBinding(SupportsShouldProcess = $true)]
    param([Parameter(ValueFromPipeline = $true)][object]$Partition, [char[]]$DriveLetter, [ValidateSet('FAT', 'FAT32', 'exFAT', 'NTFS', 'ReFS')][string]$FileSystem, [string]$NewFileSystemLabel, [switch]$Force, [switch]$Full)
    Register-StandInCall 'Format-Volume' $PSBoundParameters
}

# --- WebAdministration ----------------------------------------------------------------------------------------------
function Get-WebConfigurationProperty {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0)][string[]]$Filter, [Parameter(Mandatory = $true)][string[]]$Name, [Parameter(Position = 1)][string[]]$PSPath, [string]$Location)
    Register-StandInCall 'Get-WebConfigurationProperty' $PSBoundParameters
    if ($Name -contains 'Collection') { @($global:StandIn.AllowedServerVariables) | Where-Object { $_ } | ForEach-Object { [pscustomobject]@{ name = $_ } } }
    else { [pscustomobject]@{ Value = [bool]($global:StandIn.Proxy -contains $Name[0]) } }
}
function Set-WebConfigurationProperty {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0)][string[]]$Filter, [Parameter(Mandatory = $true)][string]$Name, [Parameter(Mandatory = $true)][object]$Value, [Parameter(Position = 1)][string[]]$PSPath, [string]$Location)
    Register-StandInCall 'Set-WebConfigurationProperty' $PSBoundParameters
}
function Add-WebConfigurationProperty {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0)][string[]]$Filter, [Parameter(Mandatory = $true)][string]$Name, [object]$Value, [Parameter(Position = 1)][string[]]$PSPath, [string]$Location, [int]$AtIndex)
    Register-StandInCall 'Add-WebConfigurationProperty' $PSBoundParameters
}
function Get-WebBinding { [CmdletBinding()] param([Parameter(Position = 0)][string]$Name, [string]$Protocol, [uint32]$Port, [string]$IPAddress, [string]$HostHeader) Register-StandInCall 'Get-WebBinding' $PSBoundParameters }
function New-WebBinding { [CmdletBinding()] param([Parameter(Position = 0)][string]$Name, [string]$Protocol, [uint32]$Port, [string]$IPAddress, [string]$HostHeader, [int]$SslFlags) Register-StandInCall 'New-WebBinding' $PSBoundParameters }
function Get-WebsiteState { [CmdletBinding()] param([Parameter(Position = 0)][string[]]$Name) Register-StandInCall 'Get-WebsiteState' $PSBoundParameters; [pscustomobject]@{ Value = 'Started' } }
function Start-Website { [CmdletBinding()] param([Parameter(Mandatory = $true, Position = 0)][string[]]$Name) Register-StandInCall 'Start-Website' $PSBoundParameters }
function Remove-Website { [CmdletBinding()] param([Parameter(Mandatory = $true, Position = 0)][string[]]$Name) Register-StandInCall 'Remove-Website' $PSBoundParameters }
function Get-Website { [CmdletBinding()] param([Parameter(Position = 0)][string]$Name) Register-StandInCall 'Get-Website' $PSBoundParameters }
function New-Website {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0)][string]$Name, [uint32]$Port, [string]$IPAddress, [string]$HostHeader, [string]$PhysicalPath, [string]$ApplicationPool, [switch]$Ssl, [int]$SslFlags, [switch]$Force)
    Register-StandInCall 'New-Website' $PSBoundParameters
}
