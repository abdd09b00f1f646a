-- mip4-gba.lua: Wireshark/tshark dissector for Mobile IPv4 registration messages
-- as mip4-gba sends and receives them (RFC 5944 Registration Request/Reply with
-- the extensions of RFC 2794, RFC 3957 and RFC 4721).
--
-- Wireshark 4.0's own "mip" dissector reads the RFC 3957 key generation
-- extensions (types 40-43) as short-form extensions, so every first
-- registration and its reply decode as malformed.  This one knows the three
-- encodings of RFC 5944 §1.9-1.11 and every extension type the project uses:
--   0 pad, 32/33/34 authentication, 36 generalized authentication (subtype 1
--   MN-AAA), 40/42 MN-FA/MN-HA KeyGen Request, 41/43 MN-FA/MN-HA KeyGen Reply,
--   131 MN-NAI, 132 MN-FA challenge, any other skippable type (128-255).
-- A non-skippable type it does not know (1-127) is flagged (the HA discards such
-- a request), a length running past the end of the datagram is flagged malformed.
--
-- Filter names start with "mip4." (mip4.type, mip4.code, mip4.ext.type,
-- mip4.nai, mip4.keygen.nonce, mip4.auth.spi, ...); damage is the expert item
-- mip4.malformed.  UDP port 434 is taken over from "mip"; other message types
-- on it (tunnel data, revocations) are handed back to "mip".  Elsewhere:
--   tshark -X lua_script:mip4-gba.lua -d udp.port==23034,mip4 -r capture.pcapng
-- or copy the file into ~/.local/lib/wireshark/plugins/ (make install puts it in
-- $(PREFIX)/share/mip4-gba/wireshark/).

local p = Proto("mip4", "Mobile IPv4 Registration (mip4-gba)")

local types = { [1] = "Registration Request", [3] = "Registration Reply" }
local codes = {
	[0] = "registration accepted", [1] = "accepted, simultaneous mobility bindings unsupported",
	[64] = "FA: reason unspecified", [65] = "FA: administratively prohibited", [66] = "FA: insufficient resources",
	[67] = "FA: mobile node failed authentication", [68] = "FA: home agent failed authentication",
	[69] = "FA: requested Lifetime too long", [70] = "FA: poorly formed Request", [71] = "FA: poorly formed Reply",
	[72] = "FA: requested encapsulation unavailable", [77] = "FA: invalid care-of address",
	[78] = "FA: registration timeout", [104] = "FA: unknown challenge", [105] = "FA: missing challenge",
	[106] = "FA: stale challenge", [107] = "FA: missing MN-FA key generation (RFC 3957)",
	[108] = "FA: MN-AAA authentication failed", [109] = "FA: HA wrong challenge",
	[128] = "HA: reason unspecified", [129] = "HA: administratively prohibited",
	[130] = "HA: insufficient resources", [131] = "HA: mobile node failed authentication",
	[132] = "HA: foreign agent failed authentication", [133] = "HA: registration Identification mismatch",
	[134] = "HA: poorly formed Request", [135] = "HA: too many simultaneous mobility bindings",
	[136] = "HA: unknown home agent address", [137] = "HA: requested reverse tunnel unavailable",
	[138] = "HA: reverse tunnel is mandatory and 'T' bit not set",
	[139] = "HA: requested encapsulation unavailable", [144] = "HA: MN-AAA authentication failed (RFC 4721)",
}
local ext_names = {
	[0] = "One-byte Padding", [32] = "Mobile-Home Authentication", [33] = "Mobile-Foreign Authentication",
	[34] = "Foreign-Home Authentication", [36] = "Generalized Mobile IP Authentication",
	[40] = "MN-FA Key Generation Request", [41] = "MN-FA Key Generation Reply",
	[42] = "MN-HA Key Generation Request", [43] = "MN-HA Key Generation Reply",
	[131] = "Mobile Node NAI", [132] = "MN-FA Challenge",
}
local gen_auth_subtypes = { [1] = "MN-AAA Authentication" }
local keygen_subtypes = { [1] = "from AAA" }
local algs = { [1] = "HMAC-MD5", [2] = "HMAC-SHA-1" }
local replays = { [1] = "none", [2] = "timestamps", [3] = "nonces" }

local f = {
	type = ProtoField.uint8("mip4.type", "Message Type", base.DEC, types),
	flags = ProtoField.uint8("mip4.flags", "Flags", base.HEX),
	s = ProtoField.bool("mip4.flags.s", "Simultaneous bindings", 8, nil, 0x80),
	b = ProtoField.bool("mip4.flags.b", "Broadcast datagrams", 8, nil, 0x40),
	d = ProtoField.bool("mip4.flags.d", "Decapsulation by the mobile node", 8, nil, 0x20),
	m = ProtoField.bool("mip4.flags.m", "Minimal encapsulation", 8, nil, 0x10),
	g = ProtoField.bool("mip4.flags.g", "GRE encapsulation", 8, nil, 0x08),
	r = ProtoField.bool("mip4.flags.r", "Reserved (r)", 8, nil, 0x04),
	t = ProtoField.bool("mip4.flags.t", "Reverse tunnelling", 8, nil, 0x02),
	x = ProtoField.bool("mip4.flags.x", "Reserved (x)", 8, nil, 0x01),
	code = ProtoField.uint8("mip4.code", "Reply Code", base.DEC, codes),
	lifetime = ProtoField.uint16("mip4.lifetime", "Lifetime", base.DEC),
	home = ProtoField.ipv4("mip4.home_addr", "Home Address"),
	ha = ProtoField.ipv4("mip4.ha_addr", "Home Agent"),
	coa = ProtoField.ipv4("mip4.coa", "Care-of Address"),
	ident = ProtoField.uint64("mip4.ident", "Identification", base.HEX),
	ident_time = ProtoField.absolute_time("mip4.ident.time", "Identification as NTP time", base.UTC),
	ext = ProtoField.none("mip4.ext", "Extension"),
	ext_type = ProtoField.uint8("mip4.ext.type", "Type", base.DEC, ext_names),
	ext_subtype = ProtoField.uint8("mip4.ext.subtype", "Subtype", base.DEC),
	ext_len = ProtoField.uint16("mip4.ext.len", "Length", base.DEC),
	ext_data = ProtoField.bytes("mip4.ext.data", "Data"),
	auth_spi = ProtoField.uint32("mip4.auth.spi", "SPI", base.DEC),
	auth = ProtoField.bytes("mip4.auth.authenticator", "Authenticator"),
	gen_subtype = ProtoField.uint8("mip4.auth.subtype", "Subtype", base.DEC, gen_auth_subtypes),
	nai = ProtoField.string("mip4.nai", "NAI"),
	challenge = ProtoField.bytes("mip4.challenge", "Challenge"),
	kg_subtype = ProtoField.uint8("mip4.keygen.subtype", "Subtype", base.DEC, keygen_subtypes),
	kg_mn_spi = ProtoField.uint32("mip4.keygen.mn_spi", "Mobile Node SPI", base.DEC),
	kg_lifetime = ProtoField.uint32("mip4.keygen.lifetime", "Key Lifetime", base.DEC),
	kg_aaa_spi = ProtoField.uint32("mip4.keygen.aaa_spi", "AAA SPI", base.DEC),
	kg_ha_spi = ProtoField.uint32("mip4.keygen.ha_spi", "HA SPI", base.DEC),
	kg_fa_spi = ProtoField.uint32("mip4.keygen.fa_spi", "FA SPI", base.DEC),
	kg_alg = ProtoField.uint16("mip4.keygen.alg", "Algorithm Identifier", base.DEC, algs),
	kg_replay = ProtoField.uint16("mip4.keygen.replay", "Replay Method", base.DEC, replays),
	kg_nonce = ProtoField.bytes("mip4.keygen.nonce", "Key Generation Nonce"),
	kg_data = ProtoField.bytes("mip4.keygen.data", "Subtype data"),
	count = ProtoField.uint8("mip4.ext.count", "Extensions"),
}
p.fields = {}
for _, v in pairs(f) do table.insert(p.fields, v) end

local e_malformed = ProtoExpert.new("mip4.malformed", "Malformed Mobile IPv4 registration message",
	expert.group.MALFORMED, expert.severity.ERROR)
local e_unknown = ProtoExpert.new("mip4.unknown_ext", "Unknown non-skippable extension: the message is discarded",
	expert.group.UNDECODED, expert.severity.WARN)
local e_short = ProtoExpert.new("mip4.bad_length", "Extension length below the minimum of its type",
	expert.group.MALFORMED, expert.severity.ERROR)
p.experts = { e_malformed, e_unknown, e_short }

-- Long form (RFC 5944 §1.10): type, subtype, 16-bit length.
local long_form = { [36] = true, [40] = true, [41] = true, [42] = true, [43] = true, [47] = true }

local NTP_UNIX = 2208988800

local function ext_auth(tvb, t, off, len)
	-- 32/33/34: SPI then authenticator (RFC 5944 §3.5).
	t:add(f.auth_spi, tvb(off, 4))
	if len > 4 then t:add(f.auth, tvb(off + 4, len - 4)) end
end

local function ext_long(tvb, t, et, off, len)
	if et == 36 then
		t:add(f.auth_spi, tvb(off, 4))
		if len > 4 then t:add(f.auth, tvb(off + 4, len - 4)) end
		return len >= 20
	elseif et == 40 or et == 42 then
		t:add(f.kg_mn_spi, tvb(off, 4))
		if len > 4 then t:add(f.kg_data, tvb(off + 4, len - 4)) end
		return len >= 4
	elseif et == 43 then
		if len < 16 then return false end
		t:add(f.kg_lifetime, tvb(off, 4))
		t:add(f.kg_aaa_spi, tvb(off + 4, 4))
		t:add(f.kg_ha_spi, tvb(off + 8, 4))
		t:add(f.kg_alg, tvb(off + 12, 2))
		t:add(f.kg_replay, tvb(off + 14, 2))
		if len > 16 then t:add(f.kg_nonce, tvb(off + 16, len - 16)) end
		return true
	elseif et == 41 then
		if len < 14 then return false end
		t:add(f.kg_lifetime, tvb(off, 4))
		t:add(f.kg_aaa_spi, tvb(off + 4, 4))
		t:add(f.kg_fa_spi, tvb(off + 8, 4))
		t:add(f.kg_alg, tvb(off + 12, 2))
		if len > 14 then t:add(f.kg_nonce, tvb(off + 14, len - 14)) end
		return true
	end
	if len > 0 then t:add(f.ext_data, tvb(off, len)) end
	return true
end

function p.dissector(tvb, pinfo, tree)
	local len = tvb:len()
	if len < 1 then return 0 end
	local mtype = tvb(0, 1):uint()
	if mtype ~= 1 and mtype ~= 3 then
		local mip = Dissector.get("mip")
		return mip and mip:call(tvb, pinfo, tree) or 0
	end
	pinfo.cols.protocol = "MIPv4"
	local fixed = mtype == 1 and 24 or 20
	local root = tree:add(p, tvb())
	root:append_text(": " .. types[mtype])
	root:add(f.type, tvb(0, 1))
	if len < fixed then
		root:add_proto_expert_info(e_malformed, "shorter than the fixed part (" .. fixed .. " octets)")
		return len
	end
	local info
	if mtype == 1 then
		local fl = root:add(f.flags, tvb(1, 1))
		for _, k in ipairs({ "s", "b", "d", "m", "g", "r", "t", "x" }) do fl:add(f[k], tvb(1, 1)) end
		root:add(f.lifetime, tvb(2, 2))
		root:add(f.home, tvb(4, 4))
		root:add(f.ha, tvb(8, 4))
		root:add(f.coa, tvb(12, 4))
		info = "Reg Request: HoA=" .. tostring(tvb(4, 4):ipv4()) .. ", CoA=" .. tostring(tvb(12, 4):ipv4())
	else
		root:add(f.code, tvb(1, 1))
		root:add(f.lifetime, tvb(2, 2))
		root:add(f.home, tvb(4, 4))
		root:add(f.ha, tvb(8, 4))
		info = "Reg Reply: code=" .. tvb(1, 1):uint() .. ", HoA=" .. tostring(tvb(4, 4):ipv4())
	end
	local io = fixed - 8
	root:add(f.ident, tvb(io, 8))
	local secs = tvb(io, 4):uint()
	if secs >= NTP_UNIX then
		root:add(f.ident_time, tvb(io, 8), NSTime.new(secs - NTP_UNIX, math.floor(tvb(io + 4, 4):uint() / 4.294967296)))
	end
	info = info .. ", Ident=0x" .. tostring(tvb(io, 8):uint64():tohex())

	local off, n, names = fixed, 0, {}
	while off < len do
		local et = tvb(off, 1):uint()
		n = n + 1
		if et == 0 then
			local t = root:add(f.ext, tvb(off, 1)):set_text("Extension: One-byte Padding")
			t:add(f.ext_type, tvb(off, 1))
			off = off + 1
		else
			-- Long form: type, subtype, 16-bit length; short form: type, length.
			local long = long_form[et]
			local hdr = long and 4 or 2
			if off + hdr > len then
				root:add_proto_expert_info(e_malformed, "extension header runs past the end")
				return len
			end
			local lrange = long and tvb(off + 2, 2) or tvb(off + 1, 1)
			local elen = lrange:uint()
			local whole = off + hdr + elen <= len
			local t = root:add(f.ext, tvb(off, whole and hdr + elen or len - off))
			t:set_text("Extension: " .. (ext_names[et] or ("type " .. et)))
			t:add(f.ext_type, tvb(off, 1))
			if et == 36 then
				t:add(f.gen_subtype, tvb(off + 1, 1))
			elseif long and et >= 40 and et <= 43 then
				t:add(f.kg_subtype, tvb(off + 1, 1))
			elseif long then
				t:add(f.ext_subtype, tvb(off + 1, 1))
			end
			t:add(f.ext_len, lrange)
			if not whole then
				t:add_proto_expert_info(e_malformed, "length " .. elen .. " runs past the end of the message")
				return len
			end
			local body = off + hdr
			table.insert(names, et)
			off = body + elen
			if long then
				if not ext_long(tvb, t, et, body, elen) then
					t:add_proto_expert_info(e_short, "length " .. elen .. " is too short for this extension")
				end
			elseif et == 32 or et == 33 or et == 34 then
				if elen < 4 then
					t:add_proto_expert_info(e_short, "an authentication extension holds at least the SPI")
				else
					ext_auth(tvb, t, body, elen)
				end
			elseif et == 131 then
				if elen > 0 then t:add(f.nai, tvb(body, elen)) end
				info = info .. ", NAI=" .. (elen > 0 and tvb(body, elen):string() or "")
			elseif et == 132 then
				if elen > 0 then t:add(f.challenge, tvb(body, elen)) end
			else
				if elen > 0 then t:add(f.ext_data, tvb(body, elen)) end
				if et < 128 then
					t:add_proto_expert_info(e_unknown)
					break
				end
			end
		end
	end
	root:add(f.count, tvb(0, 0), n):set_generated()
	if #names > 0 then info = info .. ", ext " .. table.concat(names, ",") end
	pinfo.cols.info = info
	return len
end

DissectorTable.get("udp.port"):add(434, p)
DissectorTable.get("udp.port"):add_for_decode_as(p)
