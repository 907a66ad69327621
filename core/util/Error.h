#pragma once
// Errors carry the file (or other subject) they are about, so a message always names what went wrong and where.
#include <filesystem>
#include <stdexcept>
#include <string>

namespace sonolab {

class Error : public std::runtime_error {
public:
    Error(std::string subject, std::string problem)
        : std::runtime_error(subject.empty() ? problem : subject + ": " + problem),
          subject_(std::move(subject)), problem_(std::move(problem)) {}

    // What the error is about: usually a file path.
    const std::string& subject() const noexcept { return subject_; }
    // The cause, without the subject.
    const std::string& problem() const noexcept { return problem_; }

private:
    std::string subject_;
    std::string problem_;
};

inline Error fileError(const std::filesystem::path& file, std::string problem) {
    return Error(file.string(), std::move(problem));
}

}  // namespace sonolab
