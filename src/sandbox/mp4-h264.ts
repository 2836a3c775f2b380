/**
 * A deliberately tiny H.264 encoder (Baseline profile, CAVLC) for the sandbox's fake videos.
 *
 * Every coded macroblock is I_PCM: its raw samples go straight into the bitstream, so there is no
 * prediction, transform or residual coding to get wrong and the decoded picture is bit-exact. To keep
 * files small, frames after the first are P slices in which every macroblock that did not change since
 * the previous frame is skipped (P_Skip). With only PCM and skipped neighbours every predicted motion
 * vector is zero, so a skipped macroblock is an exact copy of the previous frame.
 *
 * Syntax element names in comments are those of ITU-T H.264 (7.3 syntax, Table A-1 levels).
 */

/** One 4:2:0 picture: a full-size luma plane and two half-size chroma planes, row-major, 8-bit. */
export interface YuvFrame {
  readonly y: Uint8Array;
  readonly cb: Uint8Array;
  readonly cr: Uint8Array;
}

export interface H264Stream {
  /** SPS and PPS NAL units (header byte included, emulation-prevented), as the avcC box stores them. */
  readonly sps: Buffer;
  readonly pps: Buffer;
  readonly profileIdc: number;
  readonly constraintFlags: number;
  readonly levelIdc: number;
  /** One access unit per frame in AVCC form: each NAL unit preceded by its 4-byte big-endian length. */
  readonly samples: Buffer[];
}

const PROFILE_BASELINE = 66;
/** constraint_set0_flag + constraint_set1_flag: the stream also obeys Constrained Baseline. */
const CONSTRAINT_FLAGS = 0xc0;
const LOG2_MAX_FRAME_NUM = 4;
const NAL_SLICE = 1;
const NAL_IDR_SLICE = 5;
const NAL_SPS = 7;
const NAL_PPS = 8;
/** slice_type 5..9 promise that every slice of the picture has the same type (P = 5, I = 7). */
const SLICE_TYPE_P = 5;
const SLICE_TYPE_I = 7;
/** I_PCM is mb_type 25 in I slices; P slices number their intra types from 5, so there it is 30. */
const MB_TYPE_I_PCM_IN_I = 25;
const MB_TYPE_I_PCM_IN_P = 30;
const MACROBLOCK_BYTES = 256 + 64 + 64;

/** Table A-1: [level_idc, MaxFS (MBs per frame), MaxMBPS (MBs per second), MaxBR (kbit/s, Baseline VCL)]. */
const LEVELS: ReadonlyArray<readonly [number, number, number, number]> = [
  [10, 99, 1485, 64],
  [11, 396, 3000, 192],
  [12, 396, 6000, 384],
  [13, 396, 11880, 768],
  [20, 396, 11880, 2000],
  [21, 792, 19800, 4000],
  [22, 1620, 20250, 4000],
  [30, 1620, 40500, 10000],
  [31, 3600, 108000, 14000],
  [32, 5120, 216000, 20000],
  [40, 8192, 245760, 20000],
  [41, 8192, 245760, 50000],
  [42, 8704, 522240, 50000],
  [50, 22080, 589824, 135000],
  [51, 36864, 983040, 240000],
  [52, 36864, 2073600, 240000],
];

/** MSB-first bit writer with the exp-Golomb codes H.264 headers are made of. */
class BitWriter {
  private readonly bytes: number[] = [];
  private current = 0;
  private used = 0;

  writeBits(value: number, count: number): void {
    for (let bit = count - 1; bit >= 0; bit--) {
      this.current = (this.current << 1) | ((value >>> bit) & 1);
      if (++this.used === 8) {
        this.bytes.push(this.current);
        this.current = 0;
        this.used = 0;
      }
    }
  }

  /** ue(v): codeNum + 1 in binary, preceded by as many zeros as it has bits after the leading one. */
  writeUe(value: number): void {
    const codeNum = value + 1;
    const length = 32 - Math.clz32(codeNum);
    this.writeBits(0, length - 1);
    this.writeBits(codeNum, length);
  }

  /** se(v): maps 0, 1, -1, 2, -2 ... onto codeNum 0, 1, 2, 3, 4 ... */
  writeSe(value: number): void {
    this.writeUe(value > 0 ? 2 * value - 1 : -2 * value);
  }

  alignWithZeros(): void {
    while (this.used !== 0) this.writeBits(0, 1);
  }

  /** Only valid on a byte boundary; PCM samples are bulk-copied this way. */
  writeAlignedBytes(data: Uint8Array): void {
    if (this.used !== 0) throw new Error("writeAlignedBytes needs a byte boundary");
    for (const byte of data) this.bytes.push(byte);
  }

  /** rbsp_trailing_bits(): a stop bit, then zeros up to the byte boundary. */
  finishRbsp(): Uint8Array {
    this.writeBits(1, 1);
    this.alignWithZeros();
    return Uint8Array.from(this.bytes);
  }
}

/**
 * Emulation prevention: inside a NAL unit, 00 00 followed by 00..03 would look like a start code (or
 * confuse one), so an 03 byte is inserted after every such pair of zeros.
 */
function escapeRbsp(rbsp: Uint8Array): Uint8Array {
  const out: number[] = [];
  let zeros = 0;
  for (const byte of rbsp) {
    if (zeros >= 2 && byte <= 3) {
      out.push(3);
      zeros = 0;
    }
    out.push(byte);
    zeros = byte === 0 ? zeros + 1 : 0;
  }
  return Uint8Array.from(out);
}

/** Every NAL unit we emit is part of a reference picture or a parameter set, so nal_ref_idc is 3. */
function buildNal(type: number, rbsp: Uint8Array): Buffer {
  return Buffer.concat([Uint8Array.of((3 << 5) | type), escapeRbsp(rbsp)]);
}

function buildSps(widthMbs: number, heightMbs: number, levelIdc: number): Buffer {
  const w = new BitWriter();
  w.writeBits(PROFILE_BASELINE, 8);
  w.writeBits(CONSTRAINT_FLAGS, 8); // constraint_set0..5_flag + reserved_zero_2bits
  w.writeBits(levelIdc, 8);
  w.writeUe(0); // seq_parameter_set_id
  w.writeUe(LOG2_MAX_FRAME_NUM - 4); // log2_max_frame_num_minus4
  w.writeUe(2); // pic_order_cnt_type 2: output order is decoding order, no POC fields in slices
  w.writeUe(1); // max_num_ref_frames: P_Skip only ever copies from the previous frame
  w.writeBits(0, 1); // gaps_in_frame_num_value_allowed_flag
  w.writeUe(widthMbs - 1); // pic_width_in_mbs_minus1
  w.writeUe(heightMbs - 1); // pic_height_in_map_units_minus1
  w.writeBits(1, 1); // frame_mbs_only_flag: progressive frames only
  w.writeBits(1, 1); // direct_8x8_inference_flag
  w.writeBits(0, 1); // frame_cropping_flag: sizes are multiples of 16, nothing to crop
  w.writeBits(1, 1); // vui_parameters_present_flag, only for bitstream_restriction below
  w.writeBits(0, 5); // aspect_ratio, overscan, video_signal_type, chroma_loc, timing: all absent
  w.writeBits(0, 3); // nal_hrd, vcl_hrd, pic_struct: absent
  w.writeBits(1, 1); // bitstream_restriction_flag
  w.writeBits(1, 1); // motion_vectors_over_pic_boundaries_flag
  w.writeUe(0); // max_bytes_per_pic_denom: no limit
  w.writeUe(0); // max_bits_per_mb_denom: no limit (PCM macroblocks are big)
  w.writeUe(16); // log2_max_mv_length_horizontal
  w.writeUe(16); // log2_max_mv_length_vertical
  w.writeUe(0); // max_num_reorder_frames: lets players show each frame as soon as it is decoded
  w.writeUe(1); // max_dec_frame_buffering
  return buildNal(NAL_SPS, w.finishRbsp());
}

function buildPps(): Buffer {
  const w = new BitWriter();
  w.writeUe(0); // pic_parameter_set_id
  w.writeUe(0); // seq_parameter_set_id
  w.writeBits(0, 1); // entropy_coding_mode_flag: CAVLC
  w.writeBits(0, 1); // bottom_field_pic_order_in_frame_present_flag
  w.writeUe(0); // num_slice_groups_minus1
  w.writeUe(0); // num_ref_idx_l0_default_active_minus1
  w.writeUe(0); // num_ref_idx_l1_default_active_minus1
  w.writeBits(0, 1); // weighted_pred_flag
  w.writeBits(0, 2); // weighted_bipred_idc
  w.writeSe(0); // pic_init_qp_minus26 (PCM macroblocks are not quantised)
  w.writeSe(0); // pic_init_qs_minus26
  w.writeSe(0); // chroma_qp_index_offset
  w.writeBits(1, 1); // deblocking_filter_control_present_flag: lets slices switch the loop filter off
  w.writeBits(0, 1); // constrained_intra_pred_flag
  w.writeBits(0, 1); // redundant_pic_cnt_present_flag
  return buildNal(NAL_PPS, w.finishRbsp());
}

/**
 * One slice covering the whole picture. Frame 0 is an IDR I slice; later frames are P slices where an
 * undefined macroblock is skipped. Every picture is a reference, so frame_num simply counts frames.
 */
function buildSlice(frameIndex: number, macroblocks: ReadonlyArray<Uint8Array | undefined>): Buffer {
  const idr = frameIndex === 0;
  const w = new BitWriter();
  w.writeUe(0); // first_mb_in_slice
  w.writeUe(idr ? SLICE_TYPE_I : SLICE_TYPE_P);
  w.writeUe(0); // pic_parameter_set_id
  w.writeBits(frameIndex % (1 << LOG2_MAX_FRAME_NUM), LOG2_MAX_FRAME_NUM); // frame_num
  if (idr) {
    w.writeUe(0); // idr_pic_id
    w.writeBits(0, 1); // dec_ref_pic_marking: no_output_of_prior_pics_flag
    w.writeBits(0, 1); // dec_ref_pic_marking: long_term_reference_flag
  } else {
    w.writeBits(0, 1); // num_ref_idx_active_override_flag: one reference, the previous frame
    w.writeBits(0, 1); // ref_pic_list_modification_flag_l0
    w.writeBits(0, 1); // dec_ref_pic_marking: adaptive_ref_pic_marking_mode_flag (sliding window)
  }
  w.writeSe(0); // slice_qp_delta
  w.writeUe(1); // disable_deblocking_filter_idc 1: decoded samples stay exactly the PCM samples

  let skipRun = 0;
  for (const macroblock of macroblocks) {
    if (macroblock === undefined) {
      skipRun++;
      continue;
    }
    if (!idr) w.writeUe(skipRun); // mb_skip_run
    skipRun = 0;
    w.writeUe(idr ? MB_TYPE_I_PCM_IN_I : MB_TYPE_I_PCM_IN_P);
    w.alignWithZeros(); // pcm_alignment_zero_bit
    w.writeAlignedBytes(macroblock); // 256 luma, 64 Cb, 64 Cr samples
  }
  if (skipRun > 0) w.writeUe(skipRun); // trailing skipped macroblocks, then the slice just ends
  return buildNal(idr ? NAL_IDR_SLICE : NAL_SLICE, w.finishRbsp());
}

/** Cuts a frame into macroblocks in raster order, each laid out as I_PCM wants its samples. */
function splitMacroblocks(frame: YuvFrame, widthMbs: number, heightMbs: number): Buffer[] {
  const width = widthMbs * 16;
  const macroblocks: Buffer[] = [];
  for (let mbY = 0; mbY < heightMbs; mbY++) {
    for (let mbX = 0; mbX < widthMbs; mbX++) {
      const mb = Buffer.alloc(MACROBLOCK_BYTES);
      for (let row = 0; row < 16; row++) {
        const start = (mbY * 16 + row) * width + mbX * 16;
        mb.set(frame.y.subarray(start, start + 16), row * 16);
      }
      for (let row = 0; row < 8; row++) {
        const start = (mbY * 8 + row) * (width / 2) + mbX * 8;
        mb.set(frame.cb.subarray(start, start + 8), 256 + row * 8);
        mb.set(frame.cr.subarray(start, start + 8), 320 + row * 8);
      }
      macroblocks.push(mb);
    }
  }
  return macroblocks;
}

/** The lowest level whose frame size, macroblock rate and (average) bit rate limits the stream fits. */
function selectLevel(frameMbs: number, fps: number, bitsPerSecond: number): number {
  const fits = LEVELS.find(([, maxFs, maxMbps, maxKbps]) => {
    return frameMbs <= maxFs && frameMbs * fps <= maxMbps && bitsPerSecond <= maxKbps * 1000;
  });
  return fits?.[0] ?? 52;
}

function toAvccSample(nals: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [];
  for (const nal of nals) {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(nal.length);
    parts.push(length, nal);
  }
  return Buffer.concat(parts);
}

/** Encodes frames of width x height (multiples of 16) into one AVCC sample per frame. */
export function encodeH264(
  frames: readonly YuvFrame[],
  width: number,
  height: number,
  fps: number,
): H264Stream {
  const widthMbs = width / 16;
  const heightMbs = height / 16;
  let previous: Buffer[] = [];
  const samples = frames.map((frame, index) => {
    const current = splitMacroblocks(frame, widthMbs, heightMbs);
    const coded = current.map((mb, i) => (index > 0 && previous[i]?.equals(mb) ? undefined : mb));
    previous = current;
    return toAvccSample([buildSlice(index, coded)]);
  });
  const totalBytes = samples.reduce((sum, sample) => sum + sample.length, 0);
  const levelIdc = selectLevel(
    widthMbs * heightMbs,
    fps,
    (totalBytes * 8 * fps) / Math.max(1, frames.length),
  );
  return {
    sps: buildSps(widthMbs, heightMbs, levelIdc),
    pps: buildPps(),
    profileIdc: PROFILE_BASELINE,
    constraintFlags: CONSTRAINT_FLAGS,
    levelIdc,
    samples,
  };
}
