"""Re-makes the issue-16 mutation-run cases of Tests/DiffDubIOTests/Limits/Regressions (WAV sample
rates and non-finite samples, landmark line ends / NUL / huge coordinates, .npy descr spellings
and header dictionaries, pickles naming forbidden globals). MutationRunTests checks each file's
outcome. Needs numpy (to compare with what numpy reads). Never loads the hostile pickles.

Usage: python3 Fuzz/make-regressions.py
"""
import struct, pickle, zipfile, io, os, collections, numpy as np
R = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'Tests', 'DiffDubIOTests', 'Limits', 'Regressions')
def wav(path, rate, samples, channels=1, fmt='pcm16'):
    if fmt == 'pcm16':
        data = struct.pack('<%dh' % len(samples), *samples); tag, bits = 1, 16
    else:
        data = struct.pack('<%df' % len(samples), *samples); tag, bits = 3, 32
    block = channels * bits // 8
    fmtchunk = struct.pack('<HHIIHH', tag, channels, rate & 0xFFFFFFFF, (rate * block) & 0xFFFFFFFF, block, bits)
    body = b'WAVE' + b'fmt ' + struct.pack('<I', len(fmtchunk)) + fmtchunk + b'data' + struct.pack('<I', len(data)) + data
    open(os.path.join(R, 'audio', path), 'wb').write(b'RIFF' + struct.pack('<I', len(body)) + body)
tone = [int(8000 * np.sin(i / 5)) for i in range(16000)]
wav('rate-2147483647.wav', 0x7FFFFFFF, tone)
wav('rate-10000001.wav', 10000001, tone)
wav('rate-1.wav', 1, tone)
f = [float(np.sin(i / 5)) for i in range(1000)]
f[5] = float('nan'); wav('float-nan-at-5.wav', 16000, f, fmt='float')
g = [0.1] * 20; g[7] = float('inf'); wav('float-inf-frame-3-channel-1.wav', 16000, g, channels=2, fmt='float')

# landmarks
pts = [(100 + 2.5 * i, 200 + 1.25 * i) for i in range(68)]
lines = ['%g %g' % p for p in pts]
L = os.path.join(R, 'landmarks')
open(os.path.join(L, 'crlf.txt'), 'wb').write(('\r\n'.join(lines) + '\r\n').encode())
open(os.path.join(L, 'cr-only.txt'), 'wb').write(('\r'.join(lines) + '\r').encode())
bad = list(lines); bad[9] = '2\x0088.623 201'
open(os.path.join(L, 'nul-in-number.txt'), 'wb').write(('\n'.join(bad) + '\n').encode())
bad = list(lines); bad[4] = '1e30 201'
open(os.path.join(L, 'coordinate-1e30.txt'), 'wb').write(('\n'.join(bad) + '\n').encode())
bad = list(lines); bad[67] = '100 3.4e38'
open(os.path.join(L, 'coordinate-3.4e38.txt'), 'wb').write(('\n'.join(bad) + '\n').encode())
table = ''.join('%06d.png ' % k + ' '.join('%d_%d' % (int(x) + k, int(y)) for x, y in pts) + '\r\n' for k in range(3))
open(os.path.join(L, 'table-crlf.txt'), 'wb').write(table.encode())

# npy: every file holds arange(6).reshape(2, 3) as numpy reads it
N = os.path.join(R, 'npy')
def npy(name, header, payload, version=1):
    h = header + ' ' * ((64 - (10 + len(header) + 1) % 64) % 64) + '\n'
    open(os.path.join(N, name), 'wb').write(b'\x93NUMPY' + bytes([version, 0]) + struct.pack('<H', len(h)) + h.encode('latin1') + payload)
a = np.arange(6, dtype=np.float32).reshape(2, 3)
for name, descr, arr in [('descr-f4.npy', 'f4', a), ('descr-eq-f4.npy', '=f4', a), ('descr-float32.npy', 'float32', a),
                         ('descr-big-endian-f8.npy', '>f8', a.astype('>f8')), ('descr-u2.npy', '<u2', a.astype('<u2')),
                         ('descr-pipe-u1.npy', '|u1', a.astype('u1')), ('descr-code-d.npy', 'd', a.astype('f8'))]:
    npy(name, "{'descr': '%s', 'fortran_order': False, 'shape': (2, 3), }" % descr, arr.tobytes())
npy('fortran-order.npy', "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", np.asfortranarray(a).tobytes(order='F'))
npy('duplicate-descr-last-wins.npy', "{'descr': '<i8', 'fortran_order': False, 'shape': (2, 3), 'descr': '<f4'}", a.tobytes())
npy('double-quotes-no-spaces.npy', '{"shape":(2,3),"fortran_order":False,"descr":"<f4"}', a.tobytes())
npy('extra-key.npy', "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), 'x': 1}", a.tobytes())
npy('shape-not-tuple.npy', "{'descr': '<f4', 'fortran_order': False, 'shape': (6)}", a.tobytes())
npy('deep-nesting.npy', "{'descr': '<f4', 'fortran_order': False, 'shape': " + '(' * 5000 + ')' * 5000 + "}", a.tobytes())
# check numpy agrees
for fn in sorted(os.listdir(N)):
    try:
        x = np.load(os.path.join(N, fn)); print(fn, 'numpy reads', x.dtype, x.tolist() if x.size < 10 else x.shape)
    except Exception as e:
        print(fn, 'numpy refuses:', type(e).__name__, str(e)[:80])

# hostile pickles
class Call:
    def __init__(self, f, a): self.f, self.a = f, a
    def __reduce__(self): return (self.f, self.a)
P = os.path.join(R, 'pickle')
open(os.path.join(P, 'stack-global-builtins-eval.pkl'), 'wb').write(pickle.dumps({'state_dict': {}, 'x': Call(eval, ('1+1',))}, protocol=4))
payload = pickle.dumps({'state_dict': collections.OrderedDict(), 'x': Call(os.system, ('echo pwned',))}, protocol=2)
assert b'cposix\nsystem' in payload
buf = io.BytesIO()
with zipfile.ZipFile(buf, 'w', zipfile.ZIP_STORED) as z:
    z.writestr('archive/data.pkl', payload)
    z.writestr('archive/version', '3\n')
open(os.path.join(R, 'checkpoint', 'posix-system.ckpt'), 'wb').write(buf.getvalue())
print('ok')
