// SPDX-License-Identifier: GPL-2.0
/*
 * Classic BPF as seccomp runs it, for a guest's kept filters: the
 * monitor answers some calls by user notification (umbra's filter says
 * SECCOMP_RET_USER_NOTIF, which outranks what a guest filter's rewritten
 * action says), so it asks the guest's program itself whether the guest
 * would have notified its own listener.  Programs were checked by the
 * host when installed (seccomp_check_filter()), so jumps stay inside;
 * what is checked here again is what a bad program could do to us: every
 * access within the data and the scratch memory, every jump within the
 * program, a division by zero (0, as the kernel's).
 */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <string.h>
#include "kernel/seccomp_notif.h"

static uint32_t load_abs(const struct seccomp_data *d, uint32_t k, bool *bad)
{
	uint32_t v;

	if (k > sizeof(*d) - sizeof(v) || (k & 3)) {
		*bad = true;
		return 0;
	}
	memcpy(&v, (const char *)d + k, sizeof(v));
	return v;
}

static uint32_t alu(uint16_t op, uint32_t a, uint32_t x)
{
	switch (op) {
	case BPF_ADD: return a + x;
	case BPF_SUB: return a - x;
	case BPF_MUL: return a * x;
	case BPF_DIV: return x ? a / x : 0;
	case BPF_MOD: return x ? a % x : 0;
	case BPF_AND: return a & x;
	case BPF_OR: return a | x;
	case BPF_XOR: return a ^ x;
	case BPF_LSH: return x < 32 ? a << x : 0;
	case BPF_RSH: return x < 32 ? a >> x : 0;
	case BPF_NEG: return -a;
	default: return 0;
	}
}

static bool jump_taken(uint16_t op, uint32_t a, uint32_t v)
{
	switch (op) {
	case BPF_JEQ: return a == v;
	case BPF_JGT: return a > v;
	case BPF_JGE: return a >= v;
	case BPF_JSET: return a & v;
	default: return false;
	}
}

/* The program's return value for d; SECCOMP_RET_KILL_PROCESS if broken. */
uint32_t seccomp_bpf_run(const struct sock_filter *f, unsigned int len,
			 const struct seccomp_data *d)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };
	bool bad = false;

	for (unsigned int pc = 0; pc < len && !bad; pc++) {
		const struct sock_filter *i = &f[pc];
		uint32_t src = BPF_SRC(i->code) == BPF_X ? x : i->k;

		switch (BPF_CLASS(i->code)) {
		case BPF_LD:
			if (BPF_MODE(i->code) == BPF_ABS)
				a = load_abs(d, i->k, &bad);
			else if (BPF_MODE(i->code) == BPF_IMM)
				a = i->k;
			else if (BPF_MODE(i->code) == BPF_MEM && i->k < BPF_MEMWORDS)
				a = mem[i->k];
			else if (BPF_MODE(i->code) == BPF_LEN)
				a = sizeof(*d);
			else
				bad = true;
			break;
		case BPF_LDX:
			if (BPF_MODE(i->code) == BPF_IMM)
				x = i->k;
			else if (BPF_MODE(i->code) == BPF_MEM && i->k < BPF_MEMWORDS)
				x = mem[i->k];
			else if (BPF_MODE(i->code) == BPF_LEN)
				x = sizeof(*d);
			else
				bad = true;
			break;
		case BPF_ST:
		case BPF_STX:
			if (i->k >= BPF_MEMWORDS)
				bad = true;
			else
				mem[i->k] = BPF_CLASS(i->code) == BPF_ST ? a : x;
			break;
		case BPF_ALU:
			a = alu(BPF_OP(i->code), a, src);
			break;
		case BPF_JMP:
			if (BPF_OP(i->code) == BPF_JA) {
				if (i->k >= len - pc - 1)
					bad = true;
				else
					pc += i->k;
			} else {
				unsigned int off = jump_taken(BPF_OP(i->code), a, src) ?
						   i->jt : i->jf;

				if (off >= len - pc - 1 && off)
					bad = true;
				pc += off;
			}
			break;
		case BPF_RET:
			return BPF_RVAL(i->code) == BPF_A ? a : i->k;
		case BPF_MISC:
			if (BPF_MISCOP(i->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		default:
			bad = true;
		}
	}
	return SECCOMP_RET_KILL_PROCESS;
}
