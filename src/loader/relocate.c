// SPDX-License-Identifier: GPL-2.0
/*
 * The loader is a static PIE (see entry.S), so nothing relocates it but
 * itself.  This runs first, before any pointer stored in data is read; it
 * touches only hidden symbols, which the compiler reaches pc-relatively.
 */
#include "loader/loader.h"

extern const Elf64_Ehdr __ehdr_start __attribute__((visibility("hidden")));
extern const Elf64_Dyn _DYNAMIC[] __attribute__((visibility("hidden")));

void relocate_self(void)
{
	/* Linked at 0, so the load address is the bias. */
	uintptr_t base = (uintptr_t)&__ehdr_start;
	const Elf64_Rela *rela = NULL;
	const Elf64_Dyn *d;
	size_t size = 0, i;

	for (d = _DYNAMIC; d->d_tag != DT_NULL; d++) {
		switch (d->d_tag) {
		case DT_RELA:	rela = (const Elf64_Rela *)(base + d->d_un.d_ptr); break;
		case DT_RELASZ:	size = d->d_un.d_val; break;
		case DT_REL:
		case DT_RELR:
		case DT_JMPREL:	die("cannot relocate itself: unexpected relocation table", 0);
		}
	}
	for (i = 0; i < size / sizeof(*rela); i++) {
		if (ELF64_R_TYPE(rela[i].r_info) != R_X86_64_RELATIVE)
			die("cannot relocate itself: unexpected relocation type", 0);
		*(uint64_t *)(base + rela[i].r_offset) = base + rela[i].r_addend;
	}
}
