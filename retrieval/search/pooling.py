"""The compiled sum of token embeddings per text: the step that dominated embedding a corpus.

numpy's ``add.reduceat`` over the gathered fp16 rows took as long as tokenizing (~11 ms for 256
sentences); this loop reads the memory-mapped fp16 matrix through a 65,536-entry float32 table of
every half-precision value (numba has no float16 on the CPU) and adds in float32, in token order.
Imported only where numba is loaded already or a corpus is big enough to repay its import (~0.5 s).
"""

from __future__ import annotations

import numpy as np
from numba import njit

# Every float16 bit pattern's float32 value: exact, 256 KB.
HALF_TO_SINGLE = np.arange(2**16, dtype=np.uint32).astype(np.uint16).view(np.float16).astype(np.float32)


@njit(cache=True, nogil=True)
def token_sums(bits: np.ndarray, table: np.ndarray, ids: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Row t: the float32 sum of ``bits[ids[bounds[t]:bounds[t + 1]]]`` (fp16 rows viewed as uint16)."""
    out = np.zeros((len(bounds) - 1, bits.shape[1]), dtype=np.float32)
    for text in range(len(bounds) - 1):
        for position in range(bounds[text], bounds[text + 1]):
            row = bits[ids[position]]
            for dimension in range(row.shape[0]):
                out[text, dimension] += table[row[dimension]]
    return out


def sum_rows(matrix: np.ndarray, ids: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Per text, the float32 sum of the fp16 ``matrix`` rows its ``ids`` (text t: bounds[t]..bounds[t+1]) name."""
    return token_sums(matrix.view(np.uint16), HALF_TO_SINGLE, ids, bounds)
