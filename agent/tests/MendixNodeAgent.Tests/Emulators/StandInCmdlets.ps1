# Stand-ins for the cmdlets the agent's Windows PowerShell scripts call, loaded into a PowerShell 7 runspace
# (Microsoft.PowerShell.SDK) before the agent's own rendered script runs. Each carries the REAL cmdlet's parameters
# (names, types, mandatory, position) for the parameters the agent may use, so a misspelt, missing or mistyped
# parameter fails exactly as on the node; each records its call in $global:StandInCalls and answers from
# $global:StandIn (a table the test fills in).
# Sources of the signatures:
# - Mendix Service Console cmdlets: Service Console 4.7.1 binaries (Mendix.Service.Commands.dll; MSI in
#   mendix-pea-repos/deploy-vm-windows-quickstart) and mendix/docs,
#   content/en/docs/deployment/on-premises-design/ms-windows/automate-mendix-deployment-on-microsoft-windows.md:
#   see "Mendix Service Console" below: each imitates its class and names it.
# - Microsoft Learn, learn.microsoft.com/powershell/module/...:
#   microsoft.powershell.localaccounts/new-localuser, get-localuser, set-localuser;
#   microsoft.powershell.security/get-acl, set-acl, convertto-securestring;
#   microsoft.powershell.management/get-service, set-service, start-process, get-itemproperty; microsoft.powershell.utility/start-sleep,
#   get-date, invoke-webrequest; microsoft.powershell.core/start-job, wait-job, receive-job, remove-job (about_Jobs);
#   servermanager/install-windowsfeature, get-windowsfeature;
#   storage/get-physicaldisk, get-disk, get-partition, get-volume, set-disk, initialize-disk, new-partition, format-volume,
#   update-hoststoragecache, get-partitionsupportedsize, resize-partition;
#   webadministration/get-webconfigurationproperty, set-webconfigurationproperty, add-webconfigurationproperty,
#   get-webbinding, get-websitestate, start-website, remove-website, new-website, get-website, new-webbinding.

$global:StandInCalls = New-Object System.Collections.ArrayList
if ($null -eq $global:StandIn) { $global:StandIn = @{} }
foreach ($table in @('Services', 'StartTypes', 'PendingPolls', 'Exiting')) { if ($null -eq $global:StandIn[$table]) { $global:StandIn[$table] = @{} } }
# The stand-in machine's clock: the real time the stand-ins were loaded, moved on by Start-Sleep and by Wait-Job's timeout.
$global:StandIn.Now = [DateTime]::Now

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
    $global:StandIn.Now = $global:StandIn.Now.AddSeconds($Seconds)
}

function Get-Date {
    [CmdletBinding()]
    param()
    $global:StandIn.Now
}

# The health path through IIS (Invoke-WebRequest, Windows PowerShell 5.1: a status other than 2xx throws a WebException):
# 200 once every app's service is Running, else 502, as IIS answers for a runtime that is down.
function Invoke-WebRequest {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0)][uri]$Uri, [switch]$UseBasicParsing, [int]$TimeoutSec, [string]$Method, [System.Collections.IDictionary]$Headers)
    Register-StandInCall 'Invoke-WebRequest' $PSBoundParameters
    $down = @($global:StandIn.Services.Keys | Where-Object { [string]$global:StandIn.Services[$_] -ne 'Running' })
    if ($down.Count -gt 0) { throw (New-Object System.Net.WebException -ArgumentList 'The remote server returned an error: (502) Bad Gateway.') }
    [pscustomobject]@{ StatusCode = 200 }
}

# --- Background jobs (about_Jobs; Start-Job runs its script block in a child Windows PowerShell process) ----------
# The stand-in runs the block at once, in this runspace (so that it reaches the other stand-ins), and keeps its output and
# error records for Receive-Job. A block whose real cmdlet would never return (a stand-in that sets $global:StandIn.Hung)
# leaves the job Running: Wait-Job -Timeout then returns nothing once the timeout has passed on the stand-in clock.
$global:StandInJobs = 0
function Start-Job {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0)][scriptblock]$ScriptBlock, [object[]]$ArgumentList, [string]$Name)
    Register-StandInCall 'Start-Job' $PSBoundParameters
    $global:StandInJobs++
    $job = [pscustomobject]@{ Id = $global:StandInJobs; State = 'Completed'; Output = @(); Errors = @() }
    try {
        $job.Output = @(& $ScriptBlock @ArgumentList)
    } catch {
        $job.Errors = @($_)
        $job.State = 'Failed'
    }
    if ($null -ne $global:StandIn.Hung) {
        $global:StandIn.Hung = $null
        $job.State = 'Running'
    }
    $job
}

function Wait-Job {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true)][object[]]$Job, [int]$Timeout = -1)
    Register-StandInCall 'Wait-Job' $PSBoundParameters
    foreach ($each in $Job) {
        if ($each.State -eq 'Running') {
            if ($Timeout -lt 0) { throw 'the stand-in job never ends and Wait-Job has no -Timeout: the script would hang' }
            $global:StandIn.Now = $global:StandIn.Now.AddSeconds($Timeout)
        } else {
            $each
        }
    }
}

function Receive-Job {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true)][object[]]$Job, [switch]$Keep, [switch]$Wait)
    Register-StandInCall 'Receive-Job' $PSBoundParameters
    foreach ($each in $Job) {
        $each.Output
        foreach ($record in $each.Errors) { $PSCmdlet.WriteError($record) }
    }
}

# Remove-Job refuses a job that has not ended unless -Force, which stops it first.
function Remove-Job {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true)][object[]]$Job, [switch]$Force)
    Register-StandInCall 'Remove-Job' $PSBoundParameters
    foreach ($each in $Job) {
        if ($each.State -eq 'Running' -and -not $Force) { throw ('The command cannot remove the job with the job ID ' + $each.Id + ' because the job is not finished. To remove the job, first stop the job, or use the Force parameter.') }
        $each.State = 'Removed'
    }
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
# Each imitates its class in Mendix.Service.Commands.dll of Service Console 4.7.1 (decompiled; the MSI in
# mendix-pea-repos/deploy-vm-windows-quickstart), with the work of Mendix.Service.Management.dll's AppRunner behind it.
# The console's apps are the folders under $global:StandIn.AppsPath (ApplicationManagerSettings.AppsPath), each read by
# the emulator of Settings.GetInstance (ServiceConsoleSettingsReader); the service manager is $global:StandIn.Services
# (service name -> status) and $global:StandIn.StartTypes (service name -> start type).
# Test levers: $global:StandIn.UnsyncedDatabases (apps whose database is not in sync with the model),
# $global:StandIn.StartHangs (apps whose runtime never answers the start request: Execute(int.MaxValue)),
# $global:StandIn.StopTimesOut (the service is still StopPending 30 s after its stop) and
# $global:StandIn.PendingPolls (status -> how many Get-Service calls it lasts before it settles).

function New-StandInErrorRecord([System.Exception]$Exception, [string]$ErrorId, [System.Management.Automation.ErrorCategory]$Category, [object]$Target) {
    return New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $Exception, $ErrorId, $Category, $Target
}

function Get-StandInServiceStatus([string]$Name) {
    if ($null -eq $global:StandIn.Services -or -not $global:StandIn.Services.ContainsKey($Name)) { return $null }
    return [string]$global:StandIn.Services[$Name]
}

function Set-StandInServiceStatus([string]$Name, [string]$Status) { $global:StandIn.Services[$Name] = $Status }

# AppCommand.GetAllApps: Settings.GetInstance of every folder under AppsPath, outside the per-app error handling, so one
# broken Settings.yaml (or metadata.json) of any app throws for every query.
function Get-StandInAllApps {
    $apps = New-Object System.Collections.ArrayList
    if (Test-Path -LiteralPath $global:StandIn.AppsPath) {
        foreach ($folder in @(Get-ChildItem -LiteralPath $global:StandIn.AppsPath -Directory | Sort-Object -Property Name)) {
            $null = $apps.Add([MendixNodeAgent.Tests.Emulators.StandInConsole]::AppIn($folder.FullName))
        }
    }
    return ,$apps.ToArray()
}

# AppCommand.GetApps: -InputObject as given; -All every app; -Name those apps (case-sensitive, as List.Contains), any
# name not found a terminating error "The following specified apps do not exist: ..." (error id 10); none of the three:
# the app of the current directory, else "Unknown app" (error id 10).
function Resolve-StandInApps($Cmdlet, $InputObject, [string[]]$Name, [bool]$All) {
    if ($null -ne $InputObject) { return ,@($InputObject) }
    if (-not $All -and $null -eq $Name) {
        $here = (Get-Location).Path
        if (-not (Test-Path -LiteralPath (Join-Path -Path $here -ChildPath 'Settings.yaml'))) {
            $Cmdlet.ThrowTerminatingError((New-StandInErrorRecord (New-Object System.Exception -ArgumentList 'Unknown app') '10' 'InvalidArgument' $null))
        }
        return ,@([MendixNodeAgent.Tests.Emulators.StandInConsole]::AppIn($here))
    }
    $every = Get-StandInAllApps
    if ($All) { return ,$every }
    $found = @($every | Where-Object { $Name -ccontains ([MendixNodeAgent.Tests.Emulators.StandInConsole]::NameOf($_)) })
    $foundNames = @($found | ForEach-Object { [MendixNodeAgent.Tests.Emulators.StandInConsole]::NameOf($_) })
    $missing = @($Name | Where-Object { $foundNames -cnotcontains $_ })
    if ($missing.Count -gt 0) {
        $exception = New-Object System.Exception -ArgumentList ('The following specified apps do not exist: ' + ($missing -join ', '))
        $Cmdlet.ThrowTerminatingError((New-StandInErrorRecord $exception '10' 'InvalidArgument' $null))
    }
    return ,$found
}

# AppCommand.ProcessRecord: the work per app in TryAction, whose exceptions become non-terminating errors
# 'AppProcessError' (category InvalidOperation, the app's name as target); then the apps are written, enumerated.
# An action returns the exception its real work would throw (a PowerShell throw would be an error record of its own).
function Invoke-StandInAppCommand($Cmdlet, [object[]]$Apps, [scriptblock]$Action) {
    foreach ($app in $Apps) {
        $name = [MendixNodeAgent.Tests.Emulators.StandInConsole]::NameOf($app)
        $exception = & $Action $name
        if ($exception -is [System.Exception]) { $Cmdlet.WriteError((New-StandInErrorRecord $exception 'AppProcessError' 'InvalidOperation' $name)) }
    }
    $Cmdlet.WriteObject($Apps, $true)
}

function Get-MxApp {
    [CmdletBinding()]
    param(
        [Parameter(ParameterSetName = 'Apps', Mandatory = $true, ValueFromPipeline = $true)][ValidateNotNullOrEmpty()][Mendix.Service.Commands.App[]]$InputObject,
        [Parameter(ParameterSetName = 'AppsNames', Position = 0)][ValidateNotNullOrEmpty()][string[]]$Name,
        [Parameter(ParameterSetName = 'AllApps', Mandatory = $true)][switch]$All)
    process {
        Register-StandInCall 'Get-MxApp' $PSBoundParameters
        $apps = Resolve-StandInApps $PSCmdlet $InputObject $Name $All.IsPresent
        Invoke-StandInAppCommand $PSCmdlet $apps { param($app) }
    }
}

# NewAppCommand (no cmdlet attribute in 4.7.1; a cmdlet from 4.7.4): all its work in BeginProcessing.
function New-MxApp {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, Position = 0)][string]$Name,
        [ValidateNotNullOrEmpty()][string]$DisplayName,
        [ValidateNotNullOrEmpty()][string]$Description,
        [Mendix.M2EE.Settings+ServiceStartMode]$StartupType,
        [Parameter(Mandatory = $true)][System.Management.Automation.PSCredential]$Credential)
    begin {
        Register-StandInCall 'New-MxApp' $PSBoundParameters
        $folder = Join-Path -Path $global:StandIn.AppsPath -ChildPath $Name
        if (Test-Path -LiteralPath $folder) { throw (New-Object System.Exception -ArgumentList 'App already exists.') }
        $null = New-Item -ItemType Directory -Path $folder -Force
        $settings = [MendixNodeAgent.Tests.Emulators.StandInConsole]::NewAppSettings($Name, $Credential.UserName, [string]$StartupType, $global:StandIn.ServersPath)
        [System.IO.File]::WriteAllText((Join-Path -Path $folder -ChildPath 'Settings.yaml'), $settings)
        $global:StandIn.Services[$Name] = 'Stopped'
        # Extensions.ToWindowsStartMode: Automatic and DelayedAutomatic install an Automatic service.
        $global:StandIn.StartTypes[$Name] = $(if ($StartupType -eq 'DelayedAutomatic') { 'Automatic' } else { [string]$StartupType })
    }
}

# StartAppCommand -> AppRunner.Start: CheckServiceInstallation; success doing nothing unless the service is Stopped;
# ServiceController.Start (refused for a Disabled service); then the runtime's start request, which fails on a database
# not in sync unless -SynchronizeDatabase handles it. A failed start asks the runtime to shut down
# (RuntimeRunner.ConfigureAndStartRuntime -> Stop -> M2EEClient.Shutdown) and returns; the service stops only once its
# runtime has exited (Service.ServerProcessExited): still Running at the next Get-Service, StopPending at the one after,
# then Stopped ($global:StandIn.Exiting).
function Start-MxApp {
    [CmdletBinding()]
    param(
        [Parameter(ParameterSetName = 'Apps', Mandatory = $true, ValueFromPipeline = $true)][ValidateNotNullOrEmpty()][Mendix.Service.Commands.App[]]$InputObject,
        [Parameter(ParameterSetName = 'AppsNames', Position = 0)][ValidateNotNullOrEmpty()][string[]]$Name,
        [Parameter(ParameterSetName = 'AllApps', Mandatory = $true)][switch]$All,
        [switch]$SynchronizeDatabase)
    process {
        Register-StandInCall 'Start-MxApp' $PSBoundParameters
        $apps = Resolve-StandInApps $PSCmdlet $InputObject $Name $All.IsPresent
        $synchronize = $SynchronizeDatabase.IsPresent
        Invoke-StandInAppCommand $PSCmdlet $apps {
            param($app)
            $status = Get-StandInServiceStatus $app
            if ($null -eq $status) { return (New-Object System.Exception -ArgumentList 'The app is not installed as a Windows service.') }
            if ($status -ne 'Stopped') { return }
            if ($global:StandIn.StartTypes[$app] -eq 'Disabled') { return (New-Object System.InvalidOperationException -ArgumentList "Cannot start service $app on computer '.'.") }
            Set-StandInServiceStatus $app 'Running'
            if (@($global:StandIn.StartHangs) -contains $app) {
                $global:StandIn.Hung = $app
                return  # the real call never returns; the runner ends the script at its time limit
            }
            if (@($global:StandIn.UnsyncedDatabases) -contains $app) {
                if (-not $synchronize) {
                    $global:StandIn.Exiting[$app] = 3
                    return (New-Object System.Exception -ArgumentList 'Unable to start the app. Reason: The database is not synchronized with the model.')
                }
                $global:StandIn.UnsyncedDatabases = @($global:StandIn.UnsyncedDatabases | Where-Object { $_ -ne $app })
            }
        }
    }
}

# StopAppCommand -> AppRunner.Stop: nothing when the service is Stopped; ServiceController.Stop (which a service in
# StartPending or StopPending cannot accept: ERROR_SERVICE_CANNOT_ACCEPT_CTRL, Microsoft Learn, ControlService), then
# WaitForStatus(Stopped, 30 s), past which System.ServiceProcess.TimeoutException (StandInServiceTimeoutException here).
function Stop-MxApp {
    [CmdletBinding()]
    param(
        [Parameter(ParameterSetName = 'Apps', Mandatory = $true, ValueFromPipeline = $true)][ValidateNotNullOrEmpty()][Mendix.Service.Commands.App[]]$InputObject,
        [Parameter(ParameterSetName = 'AppsNames', Position = 0)][ValidateNotNullOrEmpty()][string[]]$Name,
        [Parameter(ParameterSetName = 'AllApps', Mandatory = $true)][switch]$All)
    process {
        Register-StandInCall 'Stop-MxApp' $PSBoundParameters
        $apps = Resolve-StandInApps $PSCmdlet $InputObject $Name $All.IsPresent
        Invoke-StandInAppCommand $PSCmdlet $apps {
            param($app)
            $status = Get-StandInServiceStatus $app
            if ($null -eq $status -or $status -eq 'Stopped') { return }
            if ($status -eq 'StartPending' -or $status -eq 'StopPending') {
                return (New-Object System.InvalidOperationException -ArgumentList "Cannot stop $app service on computer '.'.")
            }
            if ($global:StandIn.StopTimesOut) {
                Set-StandInServiceStatus $app 'StopPending'
                return (New-Object MendixNodeAgent.Tests.Emulators.StandInServiceTimeoutException)
            }
            Set-StandInServiceStatus $app 'Stopped'
        }
    }
}

# UpdateAppCommand: -LiteralPath mandatory (alias PSPath); does not look at the service.
function Update-MxApp {
    [CmdletBinding()]
    param(
        [Parameter(ParameterSetName = 'Apps', Mandatory = $true, ValueFromPipeline = $true)][ValidateNotNullOrEmpty()][Mendix.Service.Commands.App[]]$InputObject,
        [Parameter(ParameterSetName = 'AppsNames', Position = 0)][ValidateNotNullOrEmpty()][string[]]$Name,
        [Parameter(ParameterSetName = 'AllApps', Mandatory = $true)][switch]$All,
        [Parameter(Mandatory = $true, ValueFromPipelineByPropertyName = $true)][Alias('PSPath')][string]$LiteralPath)
    process {
        Register-StandInCall 'Update-MxApp' $PSBoundParameters
        $apps = Resolve-StandInApps $PSCmdlet $InputObject $Name $All.IsPresent
        Invoke-StandInAppCommand $PSCmdlet $apps { param($app) }
    }
}

# InstallServerCommand (parameter set WithPath).
function Install-MxServer {
    [CmdletBinding(DefaultParameterSetName = 'WithPath')]
    param([Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][Alias('PSPath')][string]$LiteralPath)
    Register-StandInCall 'Install-MxServer' $PSBoundParameters
}

# --- Microsoft.PowerShell.Management ------------------------------------------------------------------------------
# ServiceController as Get-Service returns it: Status a ServiceControllerStatus, StartType a ServiceStartMode. A status
# listed in $global:StandIn.PendingPolls lasts that many more queries once pending, then settles (a pending state to its end state);
# Paused is no pending state: a paused service stays Paused until someone continues or stops it. A service whose runtime
# exits ($global:StandIn.Exiting: queries left) goes on to StopPending at the last one and to Stopped after it.
function Get-Service {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string[]]$Name)
    Register-StandInCall 'Get-Service' $PSBoundParameters
    foreach ($service in $Name) {
        $status = Get-StandInServiceStatus $service
        if ($null -eq $status) { Write-Error -Message "Cannot find any service with service name '$service'." -Category ObjectNotFound -ErrorId 'NoServiceFoundForGivenName,Microsoft.PowerShell.Commands.GetServiceCommand'; continue }
        if ($null -ne $global:StandIn.PendingPolls -and $global:StandIn.PendingPolls.ContainsKey($service) -and $status -like '*Pending') {
            if ($global:StandIn.PendingPolls[$service] -le 0) {
                $settled = @{ StartPending = 'Running'; StopPending = 'Stopped'; ContinuePending = 'Running'; PausePending = 'Paused' }[$status]
                if ($null -ne $settled) { Set-StandInServiceStatus $service $settled; $status = $settled }
                $global:StandIn.PendingPolls.Remove($service)
            } else {
                $global:StandIn.PendingPolls[$service]--
            }
        }
        if ($global:StandIn.Exiting.ContainsKey($service) -and $status -eq 'Stopped') { $global:StandIn.Exiting.Remove($service) }
        if ($global:StandIn.Exiting.ContainsKey($service)) {
            $left = $global:StandIn.Exiting[$service] - 1
            if ($left -le 0) { $global:StandIn.Exiting.Remove($service); $status = 'Stopped' } elseif ($left -eq 1) { $status = 'StopPending'; $global:StandIn.Exiting[$service] = $left } else { $global:StandIn.Exiting[$service] = $left }
            if ($status -ne 'Running') { Set-StandInServiceStatus $service $status }
        }
        $startType = $global:StandIn.StartTypes[$service]
        if ($null -eq $startType) { $startType = 'Automatic' }
        [pscustomobject]@{ Name = $service; Status = [System.ServiceProcess.ServiceControllerStatus]$status; StartType = [System.ServiceProcess.ServiceStartMode]$startType }
    }
}

# Set-Service -StartupType (Windows PowerShell 5.1: ServiceStartMode, so Automatic, Manual, Disabled).
function Set-Service {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0)][string]$Name, [System.ServiceProcess.ServiceStartMode]$StartupType)
    Register-StandInCall 'Set-Service' $PSBoundParameters
    if ($null -eq (Get-StandInServiceStatus $Name)) { throw "Service '$Name' was not found on computer '.'." }
    if ($PSBoundParameters.ContainsKey('StartupType')) { $global:StandIn.StartTypes[$Name] = [string]$StartupType }
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

# --- ScheduledTasks (Microsoft Learn, learn.microsoft.com/powershell/module/scheduledtasks) --------------------------------
# The task store is $global:StandIn.ScheduledTasks: task name -> @{ Execute; Arguments; Trigger }.
function Get-ScheduledTask {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string[]]$TaskName, [string[]]$TaskPath)
    Register-StandInCall 'Get-ScheduledTask' $PSBoundParameters
    foreach ($name in $TaskName) {
        $task = if ($null -ne $global:StandIn.ScheduledTasks) { $global:StandIn.ScheduledTasks[$name] } else { $null }
        if ($null -eq $task) { Write-Error -Message "No MSFT_ScheduledTask objects found with property 'TaskName' equal to '$name'." -Category ObjectNotFound; continue }
        [pscustomobject]@{
            TaskName = $name
            Actions = @([pscustomobject]@{ Execute = $task.Execute; Arguments = $task.Arguments })
            Triggers = @([pscustomobject]@{ CimClass = [pscustomobject]@{ CimClassName = $task.Trigger } })
            Settings = [pscustomobject]@{ ExecutionTimeLimit = $task.ExecutionTimeLimit }
        }
    }
}
function New-ScheduledTaskAction {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0)][string]$Execute, [Parameter(Position = 1)][string]$Argument, [string]$WorkingDirectory, [string]$Id)
    Register-StandInCall 'New-ScheduledTaskAction' $PSBoundParameters
    [pscustomobject]@{ Execute = $Execute; Arguments = $Argument }
}
function New-ScheduledTaskTrigger {
    [CmdletBinding()]
    param([Parameter(ParameterSetName = 'AtStartup', Mandatory = $true)][switch]$AtStartup, [Parameter(ParameterSetName = 'AtLogon', Mandatory = $true)][switch]$AtLogOn, [Parameter(ParameterSetName = 'Once', Mandatory = $true)][switch]$Once, [datetime]$At, [timespan]$RandomDelay)
    Register-StandInCall 'New-ScheduledTaskTrigger' $PSBoundParameters
    [pscustomobject]@{ CimClassName = $(if ($AtStartup) { 'MSFT_TaskBootTrigger' } elseif ($AtLogOn) { 'MSFT_TaskLogonTrigger' } else { 'MSFT_TaskTimeTrigger' }) }
}
function New-ScheduledTaskPrincipal {
    [CmdletBinding()]
    param([Parameter(ParameterSetName = 'User', Mandatory = $true, Position = 0)][string]$UserId, [Parameter(ParameterSetName = 'Group', Mandatory = $true)][string]$GroupId,
        [Parameter(ParameterSetName = 'User')][ValidateSet('None', 'Password', 'S4U', 'Interactive', 'Group', 'ServiceAccount', 'InteractiveOrPassword')][string]$LogonType,
        [ValidateSet('Limited', 'Highest')][string]$RunLevel)
    Register-StandInCall 'New-ScheduledTaskPrincipal' $PSBoundParameters
    [pscustomobject]@{ UserId = $UserId; LogonType = $LogonType; RunLevel = $RunLevel }
}
function New-ScheduledTaskSettingsSet {
    [CmdletBinding()]
    param([timespan]$ExecutionTimeLimit, [ValidateSet('Parallel', 'Queue', 'IgnoreNew', 'StopExisting')][string]$MultipleInstances, [switch]$StartWhenAvailable, [int]$RestartCount, [timespan]$RestartInterval)
    Register-StandInCall 'New-ScheduledTaskSettingsSet' $PSBoundParameters
    # MSFT_TaskSettings keeps the limit as an ISO 8601 duration (PT8H).
    [pscustomobject]@{ ExecutionTimeLimit = [System.Xml.XmlConvert]::ToString($ExecutionTimeLimit); MultipleInstances = $MultipleInstances }
}
function Register-ScheduledTask {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0)][string]$TaskName, [string]$TaskPath, [Parameter(Mandatory = $true)][object[]]$Action, [object[]]$Trigger,
        [object]$Principal, [object]$Settings, [string]$Description, [switch]$Force)
    Register-StandInCall 'Register-ScheduledTask' $PSBoundParameters
    if ($null -eq $global:StandIn.ScheduledTasks) { $global:StandIn.ScheduledTasks = @{} }
    if ($global:StandIn.ScheduledTasks.ContainsKey($TaskName) -and -not $Force) { throw "Cannot create a file when that file already exists." }
    $global:StandIn.ScheduledTasks[$TaskName] = @{ Execute = $Action[0].Execute; Arguments = $Action[0].Arguments; Trigger = $Trigger[0].CimClassName; ExecutionTimeLimit = $Settings.ExecutionTimeLimit }
    [pscustomobject]@{ TaskName = $TaskName }
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
