// SPDX-License-Identifier: GPL-3.0-or-later
//
// Writes agora-token-2.0.6.json: tokens made by Agora's official Node.js builders
// (npm agora-token 2.0.6), with their inputs. Not run by the tests (they never need the
// network); kept so that anyone can make the file again and see where each token came from:
//
//   mkdir /tmp/at && cd /tmp/at && npm install agora-token@2.0.6 pako@2.1.0
//   NODE_PATH=/tmp/at/node_modules node tests/data/make-agora-token-vectors.js > tests/data/agora-token-2.0.6.json
//
// "exact" vectors pin the issue time and salt (the builders draw both at build time), so the
// codec must reproduce their bytes; "wild" vectors are the builders' untouched output, to
// decode and verify only.
//
// Compression: Node 20 bundles Chromium's zlib fork, which picks other matches than stock
// zlib for longer inputs, so its text can differ from the C++, Python and Go builders' while
// every byte inside (signature included) is the same. An exact vector's "expected" is the
// builder's payload compressed as stock zlib does (pako, a port of zlib 1.2 that produces the
// same stream), which the codec must reproduce character for character; "node_zlib_token" is
// the same build compressed by Node's own zlib, which must decode to the same payload.
'use strict'

const at = require('agora-token/src/AccessToken2')
const { ConvoAITokenBuilder } = require('agora-token/src/ConvoAITokenBuilder')
const { SttTokenBuilder } = require('agora-token/src/SttTokenBuilder')
const version = require('agora-token/package.json').version
const zlib = require('zlib')
const pako = require('pako')

const nodeDeflate = zlib.deflateSync
function withStockZlib (build) {
  zlib.deflateSync = data => Buffer.from(pako.deflate(data))
  try {
    return build()
  } finally {
    zlib.deflateSync = nodeDeflate
  }
}

const APP_ID = '970CA35de60c44645bbae8a215061b33'
const APP_CERTIFICATE = '5CFd2fd1755d40ecb72977518be15d3b'
const ISSUE_TS = 1111111
const SALT = 1

// Every build() call between pin() and unpin() uses the fixed issue time and salt.
const originalBuild = at.AccessToken2.prototype.build
function pin (issueTs, salt) {
  at.AccessToken2.prototype.build = function () {
    this.issueTs = issueTs
    this.salt = salt
    return originalBuild.call(this)
  }
}
function unpin () {
  at.AccessToken2.prototype.build = originalBuild
}

const builders = { convoai: ConvoAITokenBuilder, stt: SttTokenBuilder }

function agentInputs (o) {
  return {
    app_id: APP_ID,
    app_certificate: APP_CERTIFICATE,
    channel_name: o.channel,
    rtc_account: o.account,
    rtc_role: o.role,
    rtc_token_expire: o.tokenExpire,
    join_channel_privilege_expire: o.join,
    pub_audio_privilege_expire: o.audio,
    pub_video_privilege_expire: o.video,
    pub_data_stream_privilege_expire: o.data,
    rtm_user_id: o.rtmUser,
    rtm_token_expire: o.rtmExpire
  }
}

function buildAgent (builder, i) {
  return builders[builder].buildToken(i.app_id, i.app_certificate, i.channel_name, i.rtc_account,
    i.rtc_role, i.rtc_token_expire, i.join_channel_privilege_expire,
    i.pub_audio_privilege_expire, i.pub_video_privilege_expire,
    i.pub_data_stream_privilege_expire, i.rtm_user_id, i.rtm_token_expire)
}

const agentCases = [
  { channel: '7d72365eb983485397e3e3f9d460bdda', account: '2882341273', role: 1, tokenExpire: 600,
    join: 600, audio: 600, video: 600, data: 600, rtmUser: '2882341273', rtmExpire: 600 },
  { channel: 'agent-room', account: 'agent-007', role: 2, tokenExpire: 3600,
    join: 3600, audio: 0, video: 0, data: 0, rtmUser: 'agent-007', rtmExpire: 1800 },
  { channel: 'support', account: '0', role: 1, tokenExpire: 86400,
    join: 86400, audio: 7200, video: 3600, data: 60, rtmUser: 'bot', rtmExpire: 86400 }
]

const vectors = []
let n = 0
for (const builder of ['convoai', 'stt']) {
  agentCases.forEach(c => {
    const inputs = agentInputs(c)
    pin(ISSUE_TS, SALT + n)
    const token = withStockZlib(() => buildAgent(builder, inputs))
    const nodeToken = buildAgent(builder, inputs)
    unpin()
    vectors.push({
      id: `agora-token-${version}-${builder}-exact-${++n}`,
      kind: 'exact',
      builder,
      inputs: Object.assign({ issue_ts: ISSUE_TS, salt: SALT + n - 1 }, inputs),
      expected: token,
      node_zlib_token: nodeToken
    })
  })
  agentCases.forEach(c => {
    const inputs = agentInputs(c)
    const token = buildAgent(builder, inputs)
    const parsed = new at.AccessToken2()
    parsed.from_string(token)
    vectors.push({
      id: `agora-token-${version}-${builder}-wild-${++n}`,
      kind: 'wild',
      builder,
      inputs,
      issue_ts: parsed.issueTs,
      salt: parsed.salt,
      services: parsed.services.map(s => s.service_type()),
      token
    })
  })
}

// raw007 with the official ServiceRtc(channel, uid): an integer uid, 0 written as "".
// An exact raw007 vector: @services at the pinned issue time and salt, for 600 s.
function raw007Vector (id, services, expected, nodeZlibToken) {
  return {
    id: `agora-token-${version}-${id}`,
    kind: 'exact',
    builder: 'raw007',
    inputs: {
      app_id: APP_ID,
      app_certificate: APP_CERTIFICATE,
      issue_ts: ISSUE_TS,
      salt: SALT,
      expire: 600,
      services
    },
    expected,
    node_zlib_token: nodeZlibToken
  }
}

function rawRtc (uid, compress) {
  pin(ISSUE_TS, SALT)
  const token = new at.AccessToken2(APP_ID, APP_CERTIFICATE, 0, 600)
  const rtc = new at.ServiceRtc('7d72365eb983485397e3e3f9d460bdda', uid)
  rtc.add_privilege(at.ServiceRtc.kPrivilegeJoinChannel, 600)
  token.add_service(rtc)
  const text = compress(() => token.build())
  unpin()
  return text
}
for (const uid of [0, 2882341273, '2882341273', 'alice']) {
  vectors.push(raw007Vector(`raw007-rtc-uid-${typeof uid}-${uid}`,
    [{ type: 1, privileges: { 1: 600 }, channel_name: '7d72365eb983485397e3e3f9d460bdda', uid }],
    rawRtc(uid, withStockZlib), rawRtc(uid, build => build())))
}

// RTM2 permissions with an empty resource list: the official builders keep it.
{
  pin(ISSUE_TS, SALT)
  const token = new at.AccessToken2(APP_ID, APP_CERTIFICATE, 0, 600)
  const perms = new at.Rtm2Permissions()
  perms.add(at.Rtm2Permissions.kMessageChannels, at.Rtm2Permissions.kRead, ['lobby', 'news'])
  perms.add(at.Rtm2Permissions.kMessageChannels, at.Rtm2Permissions.kWrite, [])
  perms.add(at.Rtm2Permissions.kUsers, at.Rtm2Permissions.kRead, [])
  const rtm2 = new at.ServiceRtm2('alice', perms)
  rtm2.add_privilege(at.ServiceRtm2.kPrivilegeLogin, 600)
  token.add_service(rtm2)
  const text = withStockZlib(() => token.build())
  const nodeText = token.build()
  unpin()
  vectors.push(raw007Vector('rtm2-empty-resources',
    [{ type: 8, privileges: { 1: 600 }, user_id: 'alice',
      permissions: { 0: { 0: ['lobby', 'news'], 1: [] }, 4: { 0: [] } } }],
    text, nodeText))
}

process.stdout.write(JSON.stringify({
  source: `npm agora-token ${version} (Agora's official Node.js builders)`,
  compression: 'expected: stock zlib level 6 (pako 2.1.0, the same stream as zlib 1.2 and the C++/Python builders); node_zlib_token: Node 20\'s bundled zlib',
  generator: 'tests/data/make-agora-token-vectors.js',
  rtc_role: { publisher: 1, subscriber: 2 },
  vectors
}, null, 1) + '\n')
