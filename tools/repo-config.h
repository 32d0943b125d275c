/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /etc/ksplice/ksplice.conf ($KSPLICE_CONF for tests): "key = value" lines,
 * '#' comments.
 *
 *   repository = https://updates.example.org/ksplice   where ksplice upgrade fetches
 *   keyring = /etc/ksplice/trusted.gpg                 keys the index must be signed by
 *
 * Unknown keys are refused, so a typo is never silently ignored.
 */
#ifndef KSPLICE_TOOLS_REPO_CONFIG_H
#define KSPLICE_TOOLS_REPO_CONFIG_H

#define KSPLICE_CONF "/etc/ksplice/ksplice.conf"
#define KSPLICE_KEYRING "/etc/ksplice/trusted.gpg"

struct repo_config {
	char repository[1024];	/* "" when not configured */
	char keyring[1024];
};

/* Read the configuration (a missing file is the defaults); 0, or -1 after printing why. */
int repo_config_read(struct repo_config *c);

#endif
