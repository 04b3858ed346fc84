package main

// crmUsageText is what syncd crm -h prints: each subcommand with what it
// does. It printed "usage: syncd crm check|setup [-dry-run]|forget-links
// [-config FILE]" alone, with no word of what forget-links forgets, or
// of the subcommands' own -h.
const crmUsageText = `usage: syncd crm <subcommand> [flags]

  check               check the CRM account against the mappings, read-only: a row per problem, with its fix
  setup [-dry-run]    create in the account what the mappings need and syncd may create (-dry-run: say what
                      it would create, create nothing)
  forget-links        the agency moved to another account of its CRM: forget the CRM ids syncd holds (the old
                      account's) and write every lead again, into the account the token now belongs to

Every subcommand takes -config FILE; crm.kind and its token say which account.
Run "syncd crm <subcommand> -h" for its flags and exit statuses.
`
