/*
 * verify.h - charter verify: check a folder or a zip against the
 * MANIFEST.sha256 that charter build (or a pack) wrote into it.
 */
#ifndef CHARTER_VERIFY_H
#define CHARTER_VERIFY_H

/*
 * The subcommand: argv[0] is "verify", then options and DIR|ZIP.  Prints
 * one line per difference and a summary on stdout, errors on stderr.
 * Returns the exit status: 0 every file matches, 1 a difference, 2 bad
 * usage, 3 the manifest, folder or zip could not be read or is malformed.
 */
int	cmd_verify(int argc, char **argv);

#endif
