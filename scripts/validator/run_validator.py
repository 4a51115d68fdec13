"""Run the 1EdTech reference validator (openbadges-validator-core 1.1.2) offline on Python 3.11.

Usage: run_validator.py [--recipient EMAIL] [--allow-network] [--unpatched] [--full]
                        (INPUT | --file PATH)
  INPUT  an assertion URL, assertion JSON, a compact JWS, a path to a baked PNG/SVG file,
         or "-" to read a URL/JSON/JWS from standard input.
  PATH   a baked PNG or SVG badge image (never taken for a URL, JSON or JWS).

Prints one JSON report on stdout: {valid, errorCount, warningCount, messages[], tasks[], ...}
(messages[] as the validator reports them; tasks[] every task it queued, run or not).
Exit status: 0 valid, 1 not valid, 2 the validator could not run (message on stderr).

What this wrapper adds around `openbadges.verify`, and why:
- Python 3.11 shims: python-jose 3.0.1, requests-cache 0.4.13 and jsonschema 2.6.0 import ABCs
  from `collections` (moved to `collections.abc`, aliases removed in 3.10).
- No internet: the OB v2 JSON-LD context, which the validator loads for every compaction, is
  served from resources/contexts/ob-v2p0.json at the transport level (requests' HTTPAdapter),
  so the validator's own document loader and fetch code run unchanged (its own tests mock the
  same URL with `responses`). Any other non-loopback URL fails at once with a clear error
  instead of waiting on a network that is not there (--allow-network lifts this).
- Proxies from the environment are ignored for loopback hosts, so our test servers are reached.
- One upstream bug fixed (--unpatched turns it off): a signed assertion revoked in a revocation
  list of exactly one entry is reported valid (see fix_one_entry_revocation_list).
The validator itself accepts http:// and 127.0.0.1 URLs; nothing is patched for that.
"""

import argparse
import collections
import collections.abc
import io
import ipaddress
import json
import os
import sys
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT_ROOT = os.path.dirname(os.path.dirname(HERE))
CONTEXTS_DIR = os.path.join(PROJECT_ROOT, 'resources', 'contexts')

# URL -> local file. Both names of the OB 2.0 context (w3id.org redirects to openbadgespec.org).
LOCAL_DOCUMENTS = {
    'https://w3id.org/openbadges/v2': 'ob-v2p0.json',
    'https://openbadgespec.org/v2/context.json': 'ob-v2p0.json',
}

_ABC_NAMES = (
    'Callable', 'Container', 'Hashable', 'ItemsView', 'Iterable', 'Iterator', 'KeysView',
    'Mapping', 'MappingView', 'MutableMapping', 'MutableSequence', 'MutableSet', 'Sequence',
    'Set', 'Sized', 'ValuesView',
)


def apply_python311_shims():
    for name in _ABC_NAMES:
        if not hasattr(collections, name):
            setattr(collections, name, getattr(collections.abc, name))
    # future 0.16 imports `imp` (deprecated, still present in 3.11): keep stderr readable.
    warnings.filterwarnings('ignore', category=DeprecationWarning)
    warnings.filterwarnings('ignore', category=PendingDeprecationWarning)


class OfflineError(Exception):
    pass


def _is_loopback(host):
    if host is None:
        return False
    host = host.strip('[]').lower()
    if host == 'localhost' or host.endswith('.localhost'):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def install_local_transport(allow_network):
    """Answer the known JSON-LD context URLs from local files; refuse other off-machine URLs."""
    import requests.adapters
    import urllib3
    from urllib.parse import urlsplit

    original_send = requests.adapters.HTTPAdapter.send

    def send(self, request, **kwargs):
        url = request.url
        name = LOCAL_DOCUMENTS.get(url.rstrip('/')) or LOCAL_DOCUMENTS.get(url)
        if name is not None:
            with open(os.path.join(CONTEXTS_DIR, name), 'rb') as f:
                body = f.read()
            raw = urllib3.HTTPResponse(
                body=io.BytesIO(body),
                headers={'Content-Type': 'application/ld+json', 'Content-Length': str(len(body))},
                status=200,
                reason='OK',
                preload_content=False,
                decode_content=False,
            )
            return self.build_response(request, raw)
        host = urlsplit(url).hostname
        if _is_loopback(host):
            kwargs['proxies'] = {}
        elif not allow_network:
            raise OfflineError(
                'offline: {} is neither a local JSON-LD context nor a loopback URL '
                '(run_validator.py --allow-network to fetch it)'.format(url))
        return original_send(self, request, **kwargs)

    requests.adapters.HTTPAdapter.send = send

    # Requests also reads proxy settings from the environment before the adapter: keep
    # loopback out of any proxy.
    no_proxy = [h for h in os.environ.get('NO_PROXY', os.environ.get('no_proxy', '')).split(',') if h]
    for host in ('127.0.0.1', 'localhost', '::1'):
        if host not in no_proxy:
            no_proxy.append(host)
    os.environ['NO_PROXY'] = os.environ['no_proxy'] = ','.join(no_proxy)


def fix_one_entry_revocation_list():
    """Upstream bug in 1.1.2 (tasks/crypto.py): JSON-LD compaction turns a one-entry
    `revokedAssertions` array into a single value, and VERIFY_SIGNED_ASSERTION_NOT_REVOKED then
    iterates that string's characters (or dict's keys), so an assertion revoked in a list of
    exactly one entry is reported valid. Its own VALIDATE_REVOCATIONLIST_ENTRIES wraps the same
    value in list_of(); we do the same by handing the task a state where it is a list.
    """
    from openbadges.verifier import tasks
    from openbadges.verifier.tasks.task_types import VERIFY_SIGNED_ASSERTION_NOT_REVOKED
    from openbadges.verifier.utils import list_of

    original = tasks.FUNCTIONS[VERIFY_SIGNED_ASSERTION_NOT_REVOKED]

    def task(state, task_meta, **options):
        graph = []
        for node in state.get('graph', []):
            if 'RevocationList' in list_of(node.get('type')) and 'revokedAssertions' in node:
                node = dict(node, revokedAssertions=list_of(node['revokedAssertions']))
            graph.append(node)
        return original(dict(state, graph=graph), task_meta, **options)

    tasks.FUNCTIONS[VERIFY_SIGNED_ASSERTION_NOT_REVOKED] = task


def load_validator(allow_network=False, unpatched=False):
    apply_python311_shims()
    install_local_transport(allow_network)
    import openbadges  # noqa: E402  (after the shims on purpose)
    from pyld import jsonld
    from openbadges.verifier.utils import CachableDocumentLoader

    # Calls to PyLD made without options (e.g. is_ld_term_in_list) use PyLD's global loader,
    # which uses urllib, not requests: route it through the validator's requests-based loader.
    jsonld.set_document_loader(CachableDocumentLoader(use_cache=False))
    if not unpatched:
        fix_one_entry_revocation_list()
    return openbadges


def read_input(value):
    """Returns what openbadges.verify expects: a string, or an open binary file for images."""
    if value == '-':
        return sys.stdin.read().strip(), 'text'
    if os.path.isfile(value):
        return open(value, 'rb'), 'file'
    return value.strip(), 'text'


def normalise_message(message):
    out = dict(message)
    out['level'] = message.get('messageLevel', 'ERROR')
    return out


def summarise_task(task):
    out = {k: task.get(k) for k in ('name', 'success', 'result', 'node_id', 'prop_name')
           if task.get(k) is not None}
    out['complete'] = bool(task.get('complete'))
    return out


def make_report(result, full=False):
    report = result.get('report', {})
    out = {
        'valid': bool(report.get('valid')),
        'errorCount': int(report.get('errorCount', 0)),
        'warningCount': int(report.get('warningCount', 0)),
        'messages': [normalise_message(m) for m in report.get('messages', [])],
        'openBadgesVersion': report.get('openBadgesVersion'),
        'validationSubject': report.get('validationSubject'),
        'inputType': result.get('input', {}).get('input_type'),
    }
    if full:
        out['graph'] = result.get('graph')
    return out


def self_check():
    """Proves the install works offline: import, and compact a document with the local context."""
    load_validator()
    from pyld import jsonld
    from openbadges.verifier.utils import CachableDocumentLoader

    doc = {'@context': 'https://w3id.org/openbadges/v2', 'type': 'Issuer', 'name': 'x'}
    compacted = jsonld.compact(
        doc, 'https://w3id.org/openbadges/v2',
        {'documentLoader': CachableDocumentLoader(use_cache=True)})
    assert compacted.get('type') == 'Issuer', compacted
    from Crypto.Util.number import long_to_bytes  # the module that fails without 2to3

    assert long_to_bytes(2 ** 32) == b'\x01\x00\x00\x00\x00'
    from openbadges.version import VERSION

    print(json.dumps({'ok': True, 'openbadges': '.'.join(str(p) for p in VERSION),
                      'python': sys.version.split()[0]}))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('input', nargs='?', help='URL, JSON, JWS, baked PNG/SVG path, or -')
    parser.add_argument('--file', help='a baked PNG or SVG badge image')
    parser.add_argument('--recipient', help='email the badge is expected to be issued to')
    parser.add_argument('--allow-network', action='store_true',
                        help='let the validator fetch non-loopback URLs (not in tests or CI)')
    parser.add_argument('--unpatched', action='store_true',
                        help='do not fix the one-entry revocation list bug of 1.1.2')
    parser.add_argument('--full', action='store_true', help='include the validated graph')
    parser.add_argument('--self-check', action='store_true', help='check the install and exit')
    args = parser.parse_args(argv)

    if args.self_check:
        self_check()
        return 0
    if bool(args.input) == bool(args.file):
        parser.error('give one input: INPUT or --file PATH')

    load_validator(args.allow_network, args.unpatched)
    if args.file:
        badge_input, kind = open(args.file, 'rb'), 'file'
    else:
        badge_input, kind = read_input(args.input)
    if kind == 'file':
        from openbadges_bakery import unbake

        # The validator's own "no metadata in file" branch reads `e.message` (Python 2 only)
        # and crashes with AttributeError; report what it meant to say instead.
        try:
            found = unbake(badge_input)
        except Exception as e:  # a broken image is a validation result, not a crash
            found = None
            reason = 'Could not read Open Badges metadata from file: {}'.format(e)
        else:
            reason = 'Could not find Open Badges metadata in file.'
        if not found:
            print(json.dumps({
                'valid': False, 'errorCount': 1, 'warningCount': 0, 'inputType': 'file',
                'openBadgesVersion': None, 'validationSubject': None,
                'messages': [{'name': 'DETECT_INPUT_TYPE', 'success': False, 'result': reason,
                              'messageLevel': 'ERROR', 'level': 'ERROR'}],
            }))
            return 1
        badge_input.seek(0)

    recipient = {'email': args.recipient} if args.recipient else None
    # openbadges.verify() inlined (same three calls) to keep the store: its report lists only
    # failed tasks, and a task whose prerequisites never completed is silently left out. The
    # `tasks` list lets callers check that e.g. VERIFY_JWS really ran and passed.
    from openbadges.verifier.verifier import _get_options, generate_report, verification_store

    options = _get_options({})
    store = verification_store(badge_input, recipient_profile=recipient, options=options)
    result = generate_report(store, options=options)
    report = make_report(result, args.full)
    report['tasks'] = [summarise_task(t) for t in store.get_state().get('tasks', [])]
    print(json.dumps(report, indent=2 if sys.stdout.isatty() else None, ensure_ascii=False))
    return 0 if report['valid'] else 1


if __name__ == '__main__':
    try:
        status = main()
    except Exception:  # a crash must not look like "not valid" (exit 1)
        import traceback

        traceback.print_exc()
        status = 2
    sys.exit(status)
