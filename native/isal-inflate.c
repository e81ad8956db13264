/*
 * A streaming gzip inflater on ISA-L's igzip (libisal), as a Node-API addon for
 * src/archive/isal-inflater.ts. It behaves as node:zlib's gunzip handle does, so that the
 * choice of inflater never changes a result: members follow each other, zero bytes after a
 * member are padding to the end (a non-zero byte after them is an error), any other byte must
 * start a next member, and the CRC-32 and length of every member are checked.
 *
 * JavaScript:  const h = addon.create();
 *              addon.inflate(h, input, output, counts[, boundary])
 *                -> status (0 ok, < 0 an ISA-L error, -100 data after zero padding)
 *                counts: Uint32Array(5) = [consumed, produced, state, found, bitsBack]
 *                state: 0 inside a member (the first one from the start), 1 between members,
 *                2 ended (ignoring the rest); ending the input in state 0 is a truncated stream
 *                boundary: stop at the next deflate block boundary met (see hunt()); found is
 *                then 1, and the block starts bitsBack bits before the end of the input consumed
 *              addon.boundaries    true: inflate takes `boundary`
 *              addon.release(h)    frees the state at once (the garbage collector would too)
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>
#include <node_api.h>

enum { IN_MEMBER = 0, BETWEEN_MEMBERS = 1, ENDED = 2 };

/* Our own status beside ISA-L's (all < 0 are errors). */
#define TRAILING_DATA (-100) /* a non-zero byte after zero padding */

/* gzip header flags (RFC 1952). */
enum { FHCRC = 2, FEXTRA = 4, FNAME = 8, FCOMMENT = 16, FRESERVED = 0xe0 };
/* Where the header parser is: the 10 fixed bytes, the optional parts, then deflate data. */
enum { H_FIXED, H_XLEN, H_EXTRA, H_NAME, H_COMMENT, H_HCRC, H_DONE };

struct inflater {
  struct inflate_state *state; /* 85 KiB; NULL once released */
  int where;
  /* The member's header, parsed here: ISA-L 2.30 checks FHCRC wrongly when the header arrives
   * in several pieces, so it only inflates the deflate data and checks the trailer. */
  int stage;
  uint32_t need;     /* bytes left in the stage (H_FIXED, H_XLEN, H_EXTRA, H_HCRC) */
  uint8_t fixed[10]; /* H_FIXED, then the 2-byte XLEN or HCRC */
  uint8_t flags;
  uint32_t crc;      /* CRC-32 of the header bytes so far */
};

static void start_member(struct inflater *in) {
  isal_inflate_init(in->state);
  in->state->crc_flag = ISAL_GZIP_NO_HDR_VER;
  in->stage = H_FIXED;
  in->need = 10;
  in->crc = 0;
}

/* The stage after `stage`, given the flags. */
static int next_stage(struct inflater *in, int stage) {
  if (stage < H_XLEN && (in->flags & FEXTRA)) return H_XLEN;
  if (stage < H_NAME && (in->flags & FNAME)) return H_NAME;
  if (stage < H_COMMENT && (in->flags & FCOMMENT)) return H_COMMENT;
  if (stage < H_HCRC && (in->flags & FHCRC)) return H_HCRC;
  return H_DONE;
}

static void enter(struct inflater *in, int stage) {
  in->stage = stage;
  in->need = stage == H_XLEN || stage == H_HCRC ? 2 : 0;
}

/* Parses header bytes from the state's input; 0, or ISAL_INVALID_WRAPPER / _UNSUPPORTED_METHOD. */
static int read_header(struct inflater *in) {
  struct inflate_state *s = in->state;
  while (in->stage != H_DONE && s->avail_in > 0) {
    uint8_t *at = s->next_in;
    int stage = in->stage;
    uint32_t take;
    if (stage == H_NAME || stage == H_COMMENT) {
      uint8_t *nul = memchr(at, 0, s->avail_in);
      take = nul ? (uint32_t)(nul - at) + 1 : s->avail_in;
      if (nul) enter(in, next_stage(in, stage));
    } else {
      take = in->need < s->avail_in ? in->need : s->avail_in;
      uint32_t size = stage == H_FIXED ? 10 : stage == H_EXTRA ? 0 : 2;
      if (size > 0) memcpy(in->fixed + size - in->need, at, take);
      in->need -= take;
    }
    if (in->stage == H_HCRC && in->need == 0) {
      if ((uint32_t)(in->fixed[0] | in->fixed[1] << 8) != (in->crc & 0xffff)) return ISAL_INVALID_WRAPPER;
      in->stage = H_DONE;
    } else if (stage != H_HCRC) {
      in->crc = crc32_gzip_refl(in->crc, at, take);
    }
    s->next_in += take;
    s->avail_in -= take;
    if (in->need > 0 || in->stage == H_NAME || in->stage == H_COMMENT || in->stage == H_DONE) continue;
    if (in->stage == H_FIXED) {
      if (in->fixed[0] != 0x1f || in->fixed[1] != 0x8b) return ISAL_INVALID_WRAPPER;
      if (in->fixed[2] != 8) return ISAL_UNSUPPORTED_METHOD;
      in->flags = in->fixed[3];
      if (in->flags & FRESERVED) return ISAL_INVALID_WRAPPER;
      enter(in, next_stage(in, H_FIXED));
    } else if (in->stage == H_XLEN) {
      in->stage = H_EXTRA;
      in->need = (uint32_t)(in->fixed[0] | in->fixed[1] << 8);
      if (in->need == 0) enter(in, next_stage(in, H_EXTRA));
    } else if (in->stage == H_EXTRA) {
      enter(in, next_stage(in, H_EXTRA));
    }
  }
  return 0;
}

static void finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  struct inflater *in = data;
  free(in->state);
  free(in);
}

static napi_value throw_type(napi_env env, const char *message) {
  napi_throw_type_error(env, NULL, message);
  return NULL;
}

static napi_value create(napi_env env, napi_callback_info info) {
  (void)info;
  struct inflater *in = malloc(sizeof *in);
  if (in != NULL) in->state = malloc(sizeof *in->state);
  if (in == NULL || in->state == NULL) {
    free(in);
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  start_member(in);
  in->where = IN_MEMBER;
  napi_value handle;
  if (napi_create_external(env, in, finalize, NULL, &handle) != napi_ok) {
    free(in->state);
    free(in);
    return NULL;
  }
  return handle;
}

/* The handle argument, or NULL after throwing. */
static struct inflater *get_handle(napi_env env, napi_value value) {
  struct inflater *in;
  if (napi_get_value_external(env, value, (void **)&in) != napi_ok) {
    throw_type(env, "not an inflater handle");
    return NULL;
  }
  if (in->state == NULL) {
    napi_throw_error(env, NULL, "inflater used after release");
    return NULL;
  }
  return in;
}

/* The elements of a typed array of the `expected` type: 1, or 0 when `value` is not one. */
static int get_array(napi_env env, napi_value value, napi_typedarray_type expected, void **data, size_t *length) {
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, value, &type, length, data, &buffer, &offset) != napi_ok) return 0;
  return type == expected;
}

/* Input given to ISA-L at a time while it looks for a block boundary: shorter than almost any
 * dynamic Huffman header, so that the input runs out inside the next one (with 32, ISA-L read
 * past some that zlib's Z_BLOCK stops at; with 16 it met the same ones, at no cost in time). */
#define HUNT_PIECE 16

/* Between two deflate blocks, in a member's deflate data: before the first block's header
 * (NEW_HDR), or with the next header's first bytes held back because the input ran out inside
 * it (HDR: ISA-L keeps them in tmp_in_buffer, and read_in as it was where the header starts). */
static int at_boundary(const struct inflater *in) {
  const struct inflate_state *s = in->state;
  return in->where == IN_MEMBER && in->stage == H_DONE && (s->block_state == ISAL_BLOCK_NEW_HDR || s->block_state == ISAL_BLOCK_HDR);
}

/* Bits between where the next block starts and the end of the input ISA-L has taken. */
static uint32_t bits_back(const struct inflater *in) {
  const struct inflate_state *s = in->state;
  uint32_t held = s->block_state == ISAL_BLOCK_HDR ? (uint32_t)s->tmp_in_size : 0;
  return held * 8 + (uint32_t)s->read_in_length;
}

/*
 * Inflates the member's deflate data until it is between two blocks, and says so (*found).
 * ISA-L's inflate returns only when the input or the output runs out, so it is given the input a
 * little at a time: HUNT_PIECE bytes, which end inside the next dynamic Huffman header (then
 * state HDR), or the rest of a stored block. A block whose header is short (fixed Huffman,
 * stored) may be passed; the next one will do. All output before the boundary is in the output
 * buffer when *found is set; without room for it the caller comes back (the state is kept).
 */
static int hunt(struct inflater *in, int *found) {
  struct inflate_state *s = in->state;
  uint8_t *next_in = s->next_in;
  uint32_t left = s->avail_in;
  int status = ISAL_DECOMP_OK;
  for (;;) {
    if (at_boundary(in)) {
      /* Deliver what ISA-L still holds of the output before the boundary (an inflate without
       * input leaves an unread header as it is). */
      if (s->tmp_out_processed < s->tmp_out_valid && s->avail_out > 0) {
        s->next_in = next_in;
        s->avail_in = 0;
        status = isal_inflate(s);
        if (status < 0) break;
      }
      *found = s->tmp_out_processed == s->tmp_out_valid;
      break;
    }
    if (left == 0 || s->avail_out == 0 || s->block_state == ISAL_BLOCK_INPUT_DONE || s->block_state == ISAL_BLOCK_FINISH) break;
    uint32_t piece = HUNT_PIECE;
    if (s->block_state == ISAL_BLOCK_TYPE0 && s->type0_block_len > (int32_t)piece) piece = (uint32_t)s->type0_block_len;
    if (piece > left) piece = left;
    s->next_in = next_in;
    s->avail_in = piece;
    status = isal_inflate(s);
    uint32_t taken = piece - s->avail_in;
    next_in += taken;
    left -= taken;
    if (status < 0) break;
    if (taken == 0 && s->avail_out > 0 && s->tmp_out_processed == s->tmp_out_valid) break; /* no progress */
  }
  s->next_in = next_in;
  s->avail_in = left;
  return status;
}

/* Runs the input through, filling the output; stops when either is used up or on an error, or
 * (with `boundary`) at a deflate block boundary. */
static int run(struct inflater *in, uint8_t *input, size_t in_len, uint8_t *output, size_t out_len,
               int boundary, int *found, size_t *consumed, size_t *produced) {
  struct inflate_state *s = in->state;
  s->next_in = input;
  s->avail_in = (uint32_t)in_len;
  s->next_out = output;
  s->avail_out = (uint32_t)out_len;
  int status = ISAL_DECOMP_OK;
  while (in->where != ENDED) {
    if (in->where == BETWEEN_MEMBERS) {
      if (s->avail_in == 0) break;
      /* Zero bytes after a member are padding (node:zlib reads them so); anything else must be a member. */
      if (s->next_in[0] == 0x00) {
        in->where = ENDED;
        break;
      }
      uint8_t *next_in = s->next_in;
      uint32_t avail_in = s->avail_in;
      uint8_t *next_out = s->next_out;
      uint32_t avail_out = s->avail_out;
      start_member(in);
      s->next_in = next_in;
      s->avail_in = avail_in;
      s->next_out = next_out;
      s->avail_out = avail_out;
      in->where = IN_MEMBER;
    }
    if (in->stage != H_DONE) {
      status = read_header(in);
      if (status < 0 || in->stage != H_DONE) break;
    }
    if (boundary) {
      status = hunt(in, found);
      if (status < 0 || *found) break;
      /* The member's deflate data ended before a boundary: its trailer is read as usual. */
      if (s->block_state != ISAL_BLOCK_INPUT_DONE && s->block_state != ISAL_BLOCK_FINISH) break;
    }
    status = isal_inflate(s);
    if (status < 0) break;
    if (s->block_state == ISAL_BLOCK_FINISH) {
      in->where = BETWEEN_MEMBERS;
      continue;
    }
    /* Returned inside a member: the input or the output is used up. */
    break;
  }
  /* After padding only zero bytes may follow, however the input is cut into pieces. */
  if (in->where == ENDED && status >= 0) {
    for (; s->avail_in > 0; s->next_in++, s->avail_in--) {
      if (s->next_in[0] != 0) {
        status = TRAILING_DATA;
        break;
      }
    }
  }
  *consumed = in_len - s->avail_in;
  *produced = out_len - s->avail_out;
  return status < 0 ? status : 0;
}

static napi_value inflate(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 4 || argc > 5) return throw_type(env, "inflate(handle, input, output, counts[, boundary])");
  bool boundary = false;
  if (argc == 5 && napi_get_value_bool(env, argv[4], &boundary) != napi_ok) return throw_type(env, "inflate: boundary must be a boolean");
  struct inflater *in = get_handle(env, argv[0]);
  if (in == NULL) return NULL;
  void *input, *output, *counts_data;
  size_t in_len, out_len, count_len;
  if (!get_array(env, argv[1], napi_uint8_array, &input, &in_len) || !get_array(env, argv[2], napi_uint8_array, &output, &out_len)) return throw_type(env, "inflate: input and output must be Uint8Arrays");
  if (!get_array(env, argv[3], napi_uint32_array, &counts_data, &count_len) || count_len < (boundary ? 5 : 3)) return throw_type(env, "inflate: counts must be a Uint32Array(3), or (5) with boundary");
  if (in_len > UINT32_MAX || out_len > UINT32_MAX) return throw_type(env, "inflate: buffers over 4 GiB");
  size_t consumed, produced;
  int found = 0;
  int status = run(in, input, in_len, output, out_len, boundary, &found, &consumed, &produced);
  uint32_t *counts = counts_data;
  counts[0] = (uint32_t)consumed;
  counts[1] = (uint32_t)produced;
  counts[2] = (uint32_t)in->where;
  if (boundary) {
    counts[3] = (uint32_t)(found && status >= 0);
    counts[4] = found ? bits_back(in) : 0;
  }
  napi_value result;
  napi_create_int32(env, status, &result);
  return result;
}

static napi_value release(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  struct inflater *in;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 1 || napi_get_value_external(env, argv[0], (void **)&in) != napi_ok) return throw_type(env, "release(handle)");
  free(in->state);
  in->state = NULL;
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor functions[] = {
    { "create", NULL, create, NULL, NULL, NULL, napi_default, NULL },
    { "inflate", NULL, inflate, NULL, NULL, NULL, napi_default, NULL },
    { "release", NULL, release, NULL, NULL, NULL, napi_default, NULL },
  };
  napi_define_properties(env, exports, sizeof functions / sizeof functions[0], functions);
  napi_value yes;
  napi_get_boolean(env, true, &yes);
  napi_set_named_property(env, exports, "boundaries", yes);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
