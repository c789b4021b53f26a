namespace ServiceRequests;

/// <summary>
/// A failure the user can fix, as opposed to a bug: input that does not fit (a file, a server's
/// page, a row, a field), a file or folder that is missing or cannot be written, a server that
/// refused a request or could not be reached after the retries, or a store in a state that
/// forbids the operation. The message is one line that names what and where (file, row, field,
/// address) and says what to do; it never holds a credential. The server failures are
/// <see cref="Socrata.SocrataException"/> and <see cref="ArcGis.ArcGisException"/>. A bad
/// argument value is an <see cref="ArgumentException"/>; anything else the library throws is a bug.
/// </summary>
public class ServiceRequestsException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public ServiceRequestsException()
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    /// <param name="message">One line naming what and where, and what to do.</param>
    public ServiceRequestsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the failure that caused it.</summary>
    /// <param name="message">One line naming what and where, and what to do.</param>
    /// <param name="innerException">The failure underneath (an I/O error, a JSON reader's error, ...).</param>
    public ServiceRequestsException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
