-- The citations engine: pandoc's own BibTeX reader and citeproc, for many posts in one process.
--
-- Run as `pandoc lua engine.lua`. Requests come as JSON lines on stdin, answers go as JSON
-- lines on stdout, one answer for each request, in order:
--
--   {"op": "read", "bib": TEXT, "lang": "en-GB"}
--       -> {"items": CSLJSON | null, "error": TEXT | null}
--       The .bib text as pandoc reads it, as CSL JSON (for the checks of what pandoc drops).
--   {"op": "format", "groups": [{"csl": PATH, "lang": TAG, "strings": TEXT,
--                                "posts": [{"text": MARKDOWN, "prefix": "p0_", "bib": TEXT,
--                                           "nocite": [KEY, ...]}, ...]}, ...]}
--       -> {"html": HTML, "posts": [{"entries": [KEY, ...], "classes": TEXT,
--                                     "error": TEXT | null}, ...]}
--       Each post is its own citation context: pandoc reads its citations as written
--       (MARKDOWN, one paragraph each) and citeproc formats them in the group's style with
--       the entries they cite (its BIB, with the group's @string macros). Reading the style
--       costs citeproc 3 ms a call
--       (APA's, 20 ms), so the posts of a group share one call: each post's works carry a
--       prefix of their own (in BIB, and given here to its citations), so that no post's
--       work is another's, and the caller groups only posts that cite no author's name in
--       common (bibfile.names), so that nothing one post cites can change how another's
--       is disambiguated. HTML is one pandoc HTML output for all the posts, posts numbered
--       in the order given: each citation (its paragraph) after a comment <!--cite:P:I-->,
--       each entry after <!--entry:P:I-->, closed by <!--end-->: one write, not one for each
--       piece, since every write costs pandoc a millisecond of its own.

local json = require 'pandoc.json'

-- citeproc reads a bibliography from a file: this process's own, removed when it ends.
local scratch = os.tmpname()
os.remove(scratch)
scratch = scratch .. '.bib'

local function write_file(path, text)
  local handle = assert(io.open(path, 'wb'))
  handle:write(text)
  handle:close()
end

local function read(request)
  local ok, result = pcall(function()
    write_file(scratch, request.bib)
    local doc = pandoc.Pandoc({}, {
      bibliography = { scratch },
      lang = request.lang,
      nocite = pandoc.MetaInlines({ pandoc.Cite({ pandoc.Str('@*') },
        { pandoc.Citation('*', 'NormalCitation') }) }),
    })
    local references = pandoc.utils.references(doc)
    return pandoc.write(pandoc.Pandoc({}, { references = references }), 'csljson')
  end)
  if ok then
    return { items = json.decode(result), error = json.null }
  end
  return { items = json.null, error = tostring(result) }
end

-- A post's number and its work's key, from a prefixed key: p12_smith2000 -> 12, smith2000.
local function owner(key)
  local number, rest = key:match('^p(%d+)_(.*)$')
  return tonumber(number), rest
end

local function format_group(group, first, blocks, answers)
  local paragraphs, owners, cited = {}, {}, {}
  for offset, post in ipairs(group.posts) do
    local number = first + offset - 1
    local doc = pandoc.read(post.text, 'markdown'):walk({
      Cite = function(cite)
        for _, citation in ipairs(cite.citations) do
          citation.id = post.prefix .. citation.id
        end
        return cite
      end,
    })
    for _, block in ipairs(doc.blocks) do
      paragraphs[#paragraphs + 1] = block
      owners[#paragraphs] = number
    end
    for _, key in ipairs(post.nocite or {}) do
      cited[#cited + 1] = pandoc.Citation(post.prefix .. key, 'NormalCitation')
    end
    answers[number + 1] = { entries = {}, classes = '', error = json.null }
  end
  local doc = pandoc.Pandoc(paragraphs)
  local bib = { group.strings or '' }
  for _, post in ipairs(group.posts) do
    bib[#bib + 1] = post.bib
  end
  write_file(scratch, table.concat(bib, '\n'))
  doc.meta.bibliography = { scratch }
  doc.meta.csl = group.csl
  doc.meta.lang = group.lang
  doc.meta['link-citations'] = true
  doc.meta['link-bibliography'] = true
  if #cited > 0 then
    doc.meta.nocite = pandoc.MetaInlines({ pandoc.Cite({ pandoc.Str('') }, cited) })
  end
  local done = pandoc.utils.citeproc(doc)
  local unprefixed = {
    Link = function(link)
      local number, key = owner(link.target:sub(6))
      if link.target:sub(1, 5) == '#ref-' and number then
        link.target = '#ref-' .. key
      end
      return link
    end,
  }
  local counts, index = {}, 0
  for _, block in ipairs(done.blocks) do
    if block.t == 'Div' and block.identifier == 'refs' then
      local classes = table.concat(block.classes, ' ')
      for _, entry in ipairs(block.content) do
        local number, key = owner(entry.identifier:sub(5))
        if entry.t == 'Div' and number and answers[number + 1] then
          local answer = answers[number + 1]
          answer.classes = classes
          answer.entries[#answer.entries + 1] = key
          blocks[#blocks + 1] = pandoc.RawBlock('html',
            ('<!--entry:%d:%d-->'):format(number, #answer.entries - 1))
          for _, piece in ipairs(entry.content) do
            blocks[#blocks + 1] = piece
          end
        end
      end
    else
      index = index + 1
      local number = owners[index]
      if number ~= nil and (block.t == 'Para' or block.t == 'Plain') then
        counts[number] = (counts[number] or 0) + 1
        blocks[#blocks + 1] = pandoc.RawBlock('html',
          ('<!--cite:%d:%d-->'):format(number, counts[number] - 1))
        blocks[#blocks + 1] = pandoc.Plain(block.content):walk({
          Cite = function(cite) return cite.content end,
        }):walk(unprefixed)
      end
    end
  end
end

local function format(request)
  local blocks, answers, first = {}, {}, 0
  for _, group in ipairs(request.groups) do
    local before = #blocks
    local ok, problem = pcall(format_group, group, first, blocks, answers)
    if not ok then
      for index = #blocks, before + 1, -1 do
        blocks[index] = nil  -- what the failed group added
      end
      if #group.posts > 1 then  -- each post alone, so that the failure is the right post's
        for offset, post in ipairs(group.posts) do
          local single = { csl = group.csl, lang = group.lang, strings = group.strings,
                           posts = { post } }
          local mark = #blocks
          local alone, why = pcall(format_group, single, first + offset - 1, blocks, answers)
          if not alone then
            for index = #blocks, mark + 1, -1 do
              blocks[index] = nil
            end
            answers[first + offset] = { entries = {}, classes = '', error = tostring(why) }
          end
        end
      else
        answers[first + 1] = { entries = {}, classes = '', error = tostring(problem) }
      end
    end
    first = first + #group.posts
  end
  blocks[#blocks + 1] = pandoc.RawBlock('html', '<!--end-->')
  local html = pandoc.write(pandoc.Pandoc(blocks), 'html', { wrap_text = 'none' })
  return { html = html, posts = answers }
end

for line in io.lines() do
  if line == '"quit"' then
    break  -- asked to stop: the end of input may never come, if a forked process holds it
  end
  local ok, answer = pcall(function()
    local request = json.decode(line)
    if request.op == 'read' then
      return read(request)
    elseif request.op == 'format' then
      return format(request)
    end
    return { error = 'unknown request ' .. tostring(request.op) }
  end)
  if not ok then
    answer = { error = tostring(answer) }
  end
  io.stdout:write(json.encode(answer), '\n')
  io.stdout:flush()
end
os.remove(scratch)
