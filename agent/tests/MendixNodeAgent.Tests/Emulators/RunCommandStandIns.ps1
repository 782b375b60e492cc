# Stand-ins for what a Run Command's script (agent/scripts/*.ps1) calls on the node, loaded into a PowerShell 7
# runspace (Microsoft.PowerShell.SDK) before the script runs. Each takes the REAL command's parameters the scripts use
# and answers from the test's emulators:
# - Invoke-RestMethod (learn.microsoft.com/powershell/module/microsoft.powershell.utility/invoke-restmethod: -Method,
#   -Uri position 0, -Headers IDictionary, -TimeoutSec): the instance metadata service ($global:Imds);
# - New-Object (microsoft.powershell.utility/new-object: -TypeName position 0): System.Data.SqlClient.SqlConnection from
#   the Azure SQL emulator ($global:Sql); any other type the real one;
# - Get-Date, Start-Sleep (-Seconds position 0): the test's clock ($global:Clock), so that waits take no time.

function Invoke-RestMethod {
    [CmdletBinding()]
    param(
        [ValidateSet('Default', 'Get', 'Head', 'Post', 'Put', 'Delete', 'Trace', 'Options', 'Merge', 'Patch')][string]$Method = 'Default',
        [Parameter(Mandatory = $true, Position = 0)][uri]$Uri,
        [System.Collections.IDictionary]$Headers,
        [int]$TimeoutSec)
    $global:Imds.Token([string]$Uri, $Headers)
}

function New-Object {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0)][string]$TypeName, [Parameter(Position = 1)][object[]]$ArgumentList)
    if ($TypeName -eq 'System.Data.SqlClient.SqlConnection') { return $global:Sql.NewConnection() }
    if ($PSBoundParameters.ContainsKey('ArgumentList')) { return Microsoft.PowerShell.Utility\New-Object -TypeName $TypeName -ArgumentList $ArgumentList }
    return Microsoft.PowerShell.Utility\New-Object -TypeName $TypeName
}

function Get-Date {
    [CmdletBinding()]
    param()
    $global:Clock.UtcNow
}

function Start-Sleep {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0)][double]$Seconds)
    $global:Clock.Sleep([timespan]::FromSeconds($Seconds))
}
