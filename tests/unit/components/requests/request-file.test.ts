import {
  contentDisposition,
  safeFileName,
  sniffRequestFile,
} from '../../../../src/components/requests/request-file.js';
import { quorumProgress } from '../../../../src/components/requests/requests.use-case.js';
import type { EndorsementDoc } from '../../../../src/components/endorsements/endorsement.model.js';

describe('the file of a badge request', () => {
  it('When bytes start like a PDF, PNG or JPEG, then that is the type; anything else is refused', () => {
    expect(sniffRequestFile(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffRequestFile(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe(
      'image/png',
    );
    expect(sniffRequestFile(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(
      sniffRequestFile(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')),
    ).toBeUndefined();
    expect(sniffRequestFile(Buffer.from('<html><script>'))).toBeUndefined();
  });

  it('When a name has a path, quotes or control characters, then they are dropped and the extension follows the type', () => {
    expect(safeFileName('C:\\Users\\k\\attestation CAF.exe', 'application/pdf')).toBe(
      'attestation CAF.pdf',
    );
    expect(safeFileName('../../"evil";\r\n.png', 'image/png')).toBe('evil.png');
    expect(safeFileName('', 'image/jpeg')).toBe('preuve.jpg');
  });

  it('When the name is not ASCII, then the header carries an ASCII fallback and the UTF-8 name', () => {
    expect(contentDisposition('Démarche à la CAF.pdf')).toBe(
      'attachment; filename="Demarche a la CAF.pdf"; filename*=UTF-8\'\'D%C3%A9marche%20%C3%A0%20la%20CAF.pdf',
    );
  });
});

describe('progress toward a quorum', () => {
  const e = (role: 'coordinator' | 'peer') => ({ endorserRole: role }) as EndorsementDoc;

  it('When peers are more than required, then they do not stand in for a missing coordinator', () => {
    const p = quorumProgress({ quorum: { coordinators: 1, peers: 2 } }, [
      e('peer'),
      e('peer'),
      e('peer'),
    ]);
    expect(p.missing).toEqual({ coordinators: 1, peers: 0 });
    expect(p.reached).toBe(false);
    const done = quorumProgress({ quorum: { coordinators: 1, peers: 2 } }, [
      e('peer'),
      e('coordinator'),
      e('peer'),
    ]);
    expect(done.reached).toBe(true);
  });
});
