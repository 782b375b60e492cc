<#
Creates, in each app's database, the user of the managed identity the app's runtime signs in with, and makes it
a member of db_owner: the Mendix runtime synchronises the schema, for which Mendix recommends db_owner (mendix/docs,
deployment/on-premises-design/ms-windows/sql-server/setting-up-the-database-user.md). Signed in as the SQL server's
Microsoft Entra admin, a user-assigned identity of this VM alone, whose token the instance metadata service gives.
The stack runs it as a Run Command on one node (components/plan/databaseUsers.ts); Windows PowerShell 5.1, whose
.NET Framework 4.8 System.Data.SqlClient.SqlConnection signs in with an access token (its AccessToken property).

Each user is named by its identity's client id, `CREATE USER [name] WITH SID = <client id as binary>, TYPE = E`:
the form that needs no Microsoft Graph lookup, so neither the server nor anyone needs Directory Readers
(MicrosoftDocs/sql-docs issue 2323: TYPE E for users, service principals and managed identities, X for groups; the
SID is the binary form of a managed identity's application (client) id). `FROM EXTERNAL PROVIDER`, with or without
`WITH OBJECT_ID`, looks the principal up in Microsoft Graph, which a service principal may do only when the server's
identity holds Directory Readers (sql-docs, azure-sql/database/authentication-aad-service-principal.md).

Idempotent: a user that is there with its identity's SID is left alone; a user of that name with another SID (its
identity was deleted and made again) is dropped and made again. `ALTER ROLE db_owner ADD MEMBER` runs every time (a
member already is no error), since IS_ROLEMEMBER answers NULL for a principal it cannot validate (t-sql/functions/
is-rolemember-transact-sql.md), which no test on it can tell from "not a member"; the membership is then read back from
sys.database_role_members, and a user not there fails the command.

The users come base64-encoded (UTF-8 JSON): Windows' Run Command hands parameter values over on a command line that
cmd.exe reads, which strips `"` and `^` and takes `& | < >` as its own (Azure/azure-powershell#7269, #29880).
Waits up to WaitSeconds for the server to let the admin in (a new server, its private endpoint's DNS, a new Entra
admin, a grant still on its way); a statement SQL refuses once signed in fails the command at once.

Tested against stand-ins and an emulator of Azure SQL: agent/tests/MendixNodeAgent.Tests/DatabaseUsersScriptTests.cs.
#>
[CmdletBinding()]
param(
    # The client id of the SQL server's Entra admin, an identity this VM carries.
    [Parameter(Mandatory = $true)][string]$AdminClientId,
    # <server>.database.windows.net
    [Parameter(Mandatory = $true)][string]$Server,
    # Base64 of the UTF-8 JSON [{ "database": "...", "user": "...", "clientId": "..." }, ...]
    [Parameter(Mandatory = $true)][string]$UsersBase64,
    [int]$WaitSeconds = 1800)

$ErrorActionPreference = 'Stop'
$retrySeconds = 15

# The instance metadata service's token endpoint ("How to use managed identities for Azure resources on an Azure VM
# to acquire an access token"): a VM with more than one user-assigned identity must name one, by client_id.
function Get-SqlAccessToken {
    $resource = [uri]::EscapeDataString('https://database.windows.net/')
    $uri = "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=$resource&client_id=$AdminClientId"
    return (Invoke-RestMethod -Method Get -Uri $uri -Headers @{ Metadata = 'true' } -TimeoutSec 30).access_token
}

function Format-SqlName([string]$Name) { return '[' + $Name.Replace(']', ']]') + ']' }

function Format-SqlText([string]$Text) { return "N'" + $Text.Replace("'", "''") + "'" }

# A uniqueidentifier's 16 bytes in the order SQL Server keeps them, which is .NET's Guid.ToByteArray():
# CAST(CAST('<client id>' AS uniqueidentifier) AS varbinary(16)), as sql-docs issue 2323 converts it.
function Format-Sid([string]$ClientId) {
    return '0x' + ((([guid]$ClientId).ToByteArray() | ForEach-Object { $_.ToString('X2') }) -join '')
}

function New-UserBatch($User) {
    $name = Format-SqlName $User.user
    $text = Format-SqlText $User.user
    $sid = Format-Sid $User.clientId
    return @(
        "IF EXISTS (SELECT 1 FROM sys.database_principals WHERE name = $text AND sid <> $sid)",
        "    DROP USER $name;",
        "IF NOT EXISTS (SELECT 1 FROM sys.database_principals WHERE name = $text)",
        "    CREATE USER $name WITH SID = $sid, TYPE = E;",
        "ALTER ROLE [db_owner] ADD MEMBER $name;"
    ) -join "`r`n"
}

# How many times the user is a member of db_owner, as the catalog says (sys.database_role_members).
function New-MembershipQuery($User) {
    return "SELECT COUNT(*) FROM sys.database_role_members AS m JOIN sys.database_principals AS r ON r.principal_id = m.role_principal_id " +
        "JOIN sys.database_principals AS u ON u.principal_id = m.member_principal_id WHERE r.name = N'db_owner' AND u.name = $(Format-SqlText $User.user)"
}

# The innermost exception's message, with SQL's error number when there is one.
function Get-Reason($ErrorRecord) {
    $exception = $ErrorRecord.Exception
    while ($null -ne $exception.InnerException) { $exception = $exception.InnerException }
    $number = if ($null -ne $exception.PSObject.Properties['Number']) { "SQL error $($exception.Number): " } else { '' }
    return $number + $exception.Message.Trim()
}

function Open-Database([string]$Database, [datetime]$Deadline) {
    for ($attempt = 1; ; $attempt++) {
        $connection = New-Object System.Data.SqlClient.SqlConnection
        $connection.ConnectionString = "Server=tcp:$Server,1433;Initial Catalog=$Database;Encrypt=True;TrustServerCertificate=False;Connect Timeout=30"
        try {
            $connection.AccessToken = Get-SqlAccessToken
            $connection.Open()
            return $connection
        } catch {
            $reason = Get-Reason $_
            $connection.Dispose()
            if ((Get-Date) -ge $Deadline) {
                throw ("database '$Database' on ${Server}: its Entra admin (client id $AdminClientId) was not let in within $WaitSeconds s " +
                    "($attempt attempts); last error: $reason. Check that this VM carries that identity, that it is the server's " +
                    'Entra admin, and that the server resolves to its private endpoint from this node')
            }
            Write-Host "database '$Database' on ${Server}: the Entra admin is not let in yet ($reason); retry $attempt in $retrySeconds s"
            Start-Sleep -Seconds $retrySeconds
        }
    }
}

try {
    $list = ConvertFrom-Json ([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String($UsersBase64)))
} catch {
    throw "UsersBase64 is not base64 of the users' JSON ($(Get-Reason $_)); the stack renders it (components/plan/databaseUsers.ts)"
}
$deadline = (Get-Date).AddSeconds($WaitSeconds)
foreach ($user in $list) {
    $connection = Open-Database $user.database $deadline
    try {
        $command = $connection.CreateCommand()
        $command.CommandText = New-UserBatch $user
        $command.CommandTimeout = 60
        $null = $command.ExecuteNonQuery()
        $check = $connection.CreateCommand()
        $check.CommandText = New-MembershipQuery $user
        $check.CommandTimeout = 60
        $memberships = [int]$check.ExecuteScalar()
    } catch {
        throw "database '$($user.database)' on ${Server}: making user $($user.user) (client id $($user.clientId)) a member of db_owner failed: $(Get-Reason $_)"
    } finally {
        $connection.Dispose()
    }
    if ($memberships -ne 1) {
        throw "database '$($user.database)' on ${Server}: user $($user.user) (client id $($user.clientId)) is not a member of db_owner after ALTER ROLE db_owner ADD MEMBER (sys.database_role_members has it $memberships times): look at the database's role members and audit log"
    }
    Write-Host "database '$($user.database)': user $($user.user) signs in as client id $($user.clientId), a member of db_owner"
}
