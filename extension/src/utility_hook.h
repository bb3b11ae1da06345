/*-------------------------------------------------------------------------
 *
 * utility_hook.h
 *	  The library's ProcessUtility hook (utility_hook.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef STEEP_REPL_UTILITY_HOOK_H
#define STEEP_REPL_UTILITY_HOOK_H

#include "compat.h"

extern void steep_repl_utility_hook_install(void);

#endif							/* STEEP_REPL_UTILITY_HOOK_H */
