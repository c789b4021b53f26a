using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ServiceRequests.IO;

/// <summary>
/// The one scrubber of credentials: removes every secret this process knows from text before it
/// is printed, logged or written (error messages, retry lines, the run log, reports). It knows
/// the credentials in the environment variables each client declares (<see cref="DeclareVariables"/>,
/// when the library loads; their values read afresh on every call) and those a client was given in its
/// options (<see cref="Register"/>, while the client lives), and removes each in every
/// form it could travel in: as is; <c>user:password</c> and its Base64 (HTTP Basic, standard and
/// URL-safe alphabets); the Base64 of a token; each of those percent-encoded (upper- or
/// lower-case hex, form encoding), JSON-escaped (strict and relaxed) and HTML-encoded.
/// </summary>
internal static class Secrets
{
    /// <summary>What a secret is replaced with.</summary>
    public const string Mask = "***";

    /// <summary>Shorter values are not scrubbed: they would erase ordinary words, and no credential is that short.</summary>
    private const int ShortestSecret = 4;

    private static readonly object Gate = new();
    /// <summary>The environment variables holding single secrets (tokens, passwords, account names).</summary>
    private static readonly List<string> Variables = [];
    /// <summary>The environment variables holding accounts (user, password) sent with HTTP Basic.</summary>
    private static readonly List<(string User, string Password)> Accounts = [];
    private static readonly Dictionary<string, int> Registered = new(StringComparer.Ordinal);
    private static readonly Dictionary<(string User, string Password), int> RegisteredAccounts = [];
    private static (string Key, string[] Forms) _cache = ("", []);

    /// <summary>
    /// Adds the environment variables a client reads its credentials from to those scrubbed:
    /// <paramref name="variables"/> hold single secrets (tokens, passwords, account names),
    /// <paramref name="accounts"/> pairs sent together with HTTP Basic. Each client declares its own
    /// when the library loads (a module initializer beside its options), so that IO knows no client.
    /// </summary>
    public static void DeclareVariables(IReadOnlyList<string> variables, params (string User, string Password)[] accounts)
    {
        ArgumentNullException.ThrowIfNull(variables);
        lock (Gate)
        {
            Variables.AddRange(variables);
            Accounts.AddRange(accounts);
        }
    }

    /// <summary>
    /// Adds the secrets a client was given in code (an option's token, an account) to those
    /// scrubbed, until the returned registration is disposed (when the client is).
    /// </summary>
    public static IDisposable Register(NetworkCredential? account, params string?[] secrets)
    {
        var singles = secrets.Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).ToList();
        var pair = account is null ? default((string, string)?) : (account.UserName ?? "", account.Password ?? "");
        if (pair is { } p)
        {
            singles.Add(p.Item1);
            singles.Add(p.Item2);
        }
        lock (Gate)
        {
            foreach (var secret in singles)
            {
                Registered[secret] = Registered.GetValueOrDefault(secret) + 1;
            }
            if (pair is { } a)
            {
                RegisteredAccounts[a] = RegisteredAccounts.GetValueOrDefault(a) + 1;
            }
        }
        return new Registration(singles, pair);
    }

    /// <summary><paramref name="text"/> with every form of every known secret replaced by <see cref="Mask"/>.</summary>
    public static string Scrub(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var form in Forms())
        {
            if (text.Contains(form, StringComparison.Ordinal))
            {
                text = text.Replace(form, Mask, StringComparison.Ordinal);
            }
        }
        return text;
    }

    /// <summary>Every form of every known secret, longest first (so a form is replaced before any part of it).</summary>
    internal static string[] Forms()
    {
        var singles = new List<string>();
        var accounts = new List<(string User, string Password)>();
        string[] variables;
        (string User, string Password)[] accountVariables;
        lock (Gate)
        {
            (variables, accountVariables) = ([.. Variables], [.. Accounts]);
        }
        foreach (var variable in variables)
        {
            if (EnvironmentSecrets.Read(variable) is { } value)
            {
                singles.Add(value);
            }
        }
        foreach (var (user, password) in accountVariables)
        {
            if (EnvironmentSecrets.Account(user, password) is { } account)
            {
                accounts.Add((account.UserName, account.Password));
            }
        }
        lock (Gate)
        {
            singles.AddRange(Registered.Keys);
            accounts.AddRange(RegisteredAccounts.Keys);
            var key = string.Join('\u0001', singles) + '\u0002' + string.Join('\u0001', accounts.Select(a => a.User + '\u0003' + a.Password));
            if (key != _cache.Key)
            {
                _cache = (key, Derive(singles, accounts));
            }
            return _cache.Forms;
        }
    }

    private static string[] Derive(List<string> singles, List<(string User, string Password)> accounts)
    {
        var bases = new HashSet<string>(StringComparer.Ordinal);
        foreach (var secret in singles.Where(s => s.Length >= ShortestSecret))
        {
            bases.Add(secret);
            AddBase64(bases, secret);
        }
        foreach (var (user, password) in accounts)
        {
            var pair = $"{user}:{password}";
            bases.Add(pair);
            AddBase64(bases, pair);
        }
        var forms = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in bases.Where(b => b.Length >= ShortestSecret))
        {
            forms.Add(value);
            var escaped = Uri.EscapeDataString(value);
            forms.Add(escaped);
            forms.Add(LowerHex(escaped));
            var formEncoded = WebUtility.UrlEncode(value);
            forms.Add(formEncoded);
            forms.Add(LowerHex(formEncoded));
            forms.Add(JsonEncodedText.Encode(value).ToString());
            forms.Add(JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString());
            forms.Add(WebUtility.HtmlEncode(value));
        }
        return [.. forms.Where(f => f.Length >= ShortestSecret).OrderByDescending(f => f.Length).ThenBy(f => f, StringComparer.Ordinal)];
    }

    private static void AddBase64(HashSet<string> bases, string value)
    {
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
        bases.Add(base64);
        bases.Add(base64.TrimEnd('='));
        var urlSafe = base64.Replace('+', '-').Replace('/', '_');
        bases.Add(urlSafe);
        bases.Add(urlSafe.TrimEnd('='));
    }

    /// <summary><paramref name="escaped"/> with the hex digits of its %XX escapes in lower case.</summary>
    private static string LowerHex(string escaped)
    {
        var chars = escaped.ToCharArray();
        for (var i = 0; i + 2 < chars.Length; i++)
        {
            if (chars[i] == '%')
            {
                chars[i + 1] = char.ToLowerInvariant(chars[i + 1]);
                chars[i + 2] = char.ToLowerInvariant(chars[i + 2]);
            }
        }
        return new string(chars);
    }

    /// <summary>A client's secrets, scrubbed until it is disposed.</summary>
    private sealed class Registration(List<string> singles, (string User, string Password)? account) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            lock (Gate)
            {
                if (_disposed)
                {
                    return;
                }
                _disposed = true;
                foreach (var secret in singles)
                {
                    Release(Registered, secret);
                }
                if (account is { } a)
                {
                    Release(RegisteredAccounts, a);
                }
            }
        }

        private static void Release<T>(Dictionary<T, int> counts, T key)
            where T : notnull
        {
            if (counts.TryGetValue(key, out var count))
            {
                if (count <= 1)
                {
                    counts.Remove(key);
                }
                else
                {
                    counts[key] = count - 1;
                }
            }
        }
    }
}
