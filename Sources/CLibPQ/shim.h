#ifndef ECSH_CLIBPQ_SHIM_H
#define ECSH_CLIBPQ_SHIM_H
// PostgreSQL's client library (Debian: libpq-dev), the reference client every
// PostgreSQL-wire engine (PostgreSQL, Citus, Redshift, ...) supports.
#include <libpq-fe.h>
#endif
