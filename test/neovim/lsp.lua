-- Headless Neovim (0.7+, Debian's) as an LSP client of `serverless-security-lsp --stdio` (the command on PATH,
-- as the README's snippet starts it) on a copy of an example file.
-- Asserts the diagnostics (source, codes), a hover on an IAM action (access level) and a quick fix that
-- removes its diagnostic once applied. Exit code 0 only when all of that arrived.
-- usage: SLS_EXPECT=SLS101,SLS301,SLS401 nvim --headless --clean -n -c 'luafile lsp.lua' FILE   (see run.sh)
-- (vim.lsp.start arrived in 0.8, so this uses vim.lsp.start_client + buf_attach_client.)
local server = 'serverless-security-lsp'
local expected = vim.split(os.getenv('SLS_EXPECT') or 'SLS101,SLS301,SLS401', ',', true)
local SOURCE = 'serverless-security'
local t0 = vim.loop.hrtime()
local function log(msg)
  io.stdout:write(string.format('[neovim %.2fs] %s\n', (vim.loop.hrtime() - t0) / 1e9, msg))
end
local function finish(code, msg)
  log(msg)
  vim.lsp.stop_client(vim.lsp.get_active_clients())
  vim.wait(2000, function() return #vim.lsp.get_active_clients() == 0 end, 50)
  io.stdout:flush()
  os.exit(code)
end
local function code_of(d)
  local c = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
  if type(c) == 'table' then c = c.value end
  return tostring(c)
end
local function ours(bufnr, code)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.source == SOURCE and (code == nil or code_of(d) == code) then table.insert(out, d) end
  end
  return out
end

local v = vim.version()
log(string.format('nvim %d.%d.%d, server %s', v.major, v.minor, v.patch, server))
local bufnr = vim.api.nvim_get_current_buf()
local fname = vim.api.nvim_buf_get_name(bufnr)
if fname == '' then finish(2, 'FAIL: no file given') end
local uri = vim.uri_from_bufnr(bufnr)
if vim.bo[bufnr].filetype == '' then vim.bo[bufnr].filetype = fname:match('%.json$') and 'json' or 'yaml' end

local client_id = vim.lsp.start_client({
  name = 'serverless-security',
  cmd = { server, '--stdio' },
  root_dir = vim.fn.fnamemodify(fname, ':p:h'),
  on_exit = function(code, signal) if code ~= 0 then log('server exited: ' .. code .. ' signal ' .. signal) end end,
})
if not client_id then finish(1, 'FAIL: start_client') end
vim.lsp.buf_attach_client(bufnr, client_id)

-- 1) diagnostics with our source and the expected codes
local got = vim.wait(30000, function()
  for _, code in ipairs(expected) do if #ours(bufnr, code) == 0 then return false end end
  return true
end, 50)
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  log(string.format('diagnostic %d:%d [%s %s] %s', d.lnum + 1, d.col + 1, tostring(d.source), code_of(d), d.message))
end
if not got then finish(1, 'FAIL: expected diagnostics ' .. table.concat(expected, ', ') .. ' within 30 s') end

-- 2) hover on the first IAM action without a wildcard
local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
local hover_line, hover_col, action
for i, line in ipairs(lines) do
  if not line:find('arn:', 1, true) then
    local s, _, service, name = line:find('[%s"\'%[,]([a-z][a-z0-9%-]*):([A-Z][A-Za-z0-9]+)')
    if s then hover_line, hover_col, action = i - 1, s + #service + 1, service .. ':' .. name break end
  end
end
if not action then finish(1, 'FAIL: no IAM action without a wildcard in the file') end
local hover = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover',
  { textDocument = { uri = uri }, position = { line = hover_line, character = hover_col } }, 10000)
local htext = ''
for _, r in pairs(hover or {}) do
  local c = r.result and r.result.contents
  if type(c) == 'table' then htext = htext .. (c.value or table.concat(vim.tbl_map(function(x) return type(x) == 'table' and x.value or x end, c), '\n')) end
  if type(c) == 'string' then htext = htext .. c end
end
log('hover ' .. action .. ': ' .. htext:gsub('\n', ' '):sub(1, 200))
if not htext:find('Access level', 1, true) then finish(1, 'FAIL: hover on ' .. action .. ' has no access level') end

-- 3) the narrowing quick fix at the SLS101 (it may belong to a finding on the same range, e.g. SLS171), applied:
--    the SLS101 on that line must go.
local wildcard = ours(bufnr, 'SLS101')[1]
local target
local function lsp_diag(d)
  local lsp = d.user_data and d.user_data.lsp or {}
  return {
    range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } },
    message = d.message, severity = d.severity, source = d.source, code = lsp.code or d.code, data = lsp.data,
  }
end
local context = {}
for _, d in ipairs(ours(bufnr)) do if d.lnum == wildcard.lnum then table.insert(context, lsp_diag(d)) end end
local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction',
  { textDocument = { uri = uri }, range = lsp_diag(wildcard).range, context = { diagnostics = context } }, 10000)
for _, r in pairs(responses or {}) do
  for _, a in ipairs(r.result or {}) do
    log(string.format('codeAction on line %d: %s (%s)', wildcard.lnum + 1, a.title, tostring(a.kind)))
    if not target and a.edit and a.title:find('Narrow') then target = { action = a, diag = wildcard, code = 'SLS101' } end
  end
end
if not target then finish(1, 'FAIL: no narrowing quick fix on the SLS101 line') end
local before = vim.api.nvim_buf_get_lines(bufnr, target.diag.lnum, target.diag.lnum + 1, false)[1]
local count = #ours(bufnr, target.code)
vim.lsp.util.apply_workspace_edit(target.action.edit, 'utf-16')
local after = vim.api.nvim_buf_get_lines(bufnr, target.diag.lnum, -1, false)
log('applied "' .. target.action.title .. '": ' .. vim.trim(before) .. ' -> ' .. vim.trim(table.concat(after, ' '):sub(1, 120)))
local gone = vim.wait(15000, function()
  for _, d in ipairs(ours(bufnr, 'SLS101')) do if d.lnum == wildcard.lnum then return false end end
  return #ours(bufnr, 'SLS101') < count
end, 50)
if not gone then finish(1, 'FAIL: ' .. target.code .. ' still reported after the fix') end
finish(0, 'PASS: diagnostics, hover and quick fix over stdio')
