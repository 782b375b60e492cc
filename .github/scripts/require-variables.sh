#!/usr/bin/env bash
# Stops a job before it signs in anywhere when a repository variable it needs is not set, naming each
# one that is missing and where the set-up guide describes it. The job passes the variables' values as
# environment variables of the same names:
#   bash .github/scripts/require-variables.sh AZURE_TENANT_ID AZURE_SUBSCRIPTION_ID ...
set -euo pipefail
missing=0
for name in "$@"; do
  if [ -z "${!name:-}" ]; then
    echo "::error title=Repository variable ${name} is not set::Set ${name} under Settings > Secrets and variables > Actions > Variables, as docs/reviewing-changes.md describes (\"Setting up the workflows\"); this job signs in with it."
    missing=1
  fi
done
exit "$missing"
